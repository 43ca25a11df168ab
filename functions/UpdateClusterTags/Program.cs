using Workflows.Core.Hosting.Runtime;
using Workflows.Core.Steps;

// The UpdateClusterTags function: its step (Workflows.Core/Steps) on the one generic host, the bootstrap that speaks
// the Lambda Runtime API on provided.al2023.
return await LambdaBootstrap.RunAsync(StepCatalog.UpdateClusterTags);
