namespace Workflows.Jsonata;

