using DsqlLocal;
using DsqlLocal.Cli;

return await CommandLine.RunAsync(args, Console.Out, Console.Error);
