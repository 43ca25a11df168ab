using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Workflows.Jsonata.Tests;

public sealed class SuiteTests(ITestOutputHelper output)
{
    [SuiteFact]
    public void Suite_EveryCase_NoFailureOutsideTheKnownList()
    {
        var root = SuiteData.Directory!;
        var cases = SuiteCases.Load(root);
        var results = new List<(SuiteCase Case, bool Pass, string Detail)>();
        foreach (var c in cases)
        {
            (bool, string) r = (false, "did not finish");
            // A big stack: the suite has deliberately deep recursion, and its depth limit is what must stop it.
            var t = new Thread(
                () =>
                {
                    try
                    {
                        r = SuiteRunner.Run(c, root);
                    }
#pragma warning disable CA1031 // a case the runner cannot even read (e.g. a lone surrogate) is a failure, not a crash
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        r = (false, $"runner could not run the case: {ex.GetType().Name}: {ex.Message}");
                    }
                },
                256 * 1024 * 1024);
            t.Start();
            if (!t.Join(TimeSpan.FromSeconds(20)))
            {
                r = (false, "did not finish in 20 s");
            }

            results.Add((c, r.Item1, r.Item2));
        }

        var report = new StringBuilder();
        foreach (var g in results.GroupBy(r => r.Case.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{g.Key,-32} {g.Count(r => r.Pass),4}/{g.Count(),-4}");
        }

        var passed = results.Count(r => r.Pass);
        report.AppendLine(CultureInfo.InvariantCulture, $"TOTAL {passed}/{results.Count} = {100.0 * passed / results.Count:F1}%");
        output.WriteLine(report.ToString());

        var failures = results.Where(r => !r.Pass).Select(r => (r.Case.Id, r.Detail)).ToList();
        KnownFailures.UpdateIfAsked(failures);
        var known = KnownFailures.Read();
        var unexpected = failures.Where(f => !known.ContainsKey(f.Id)).ToList();
        var newlyPassing = known.Keys.Except(failures.Select(f => f.Id)).Where(id => cases.Any(c => c.Id == id)).ToList();
        foreach (var (id, detail) in unexpected)
        {
            output.WriteLine($"NEW FAILURE {id}: {detail}");
        }

        foreach (var id in newlyPassing)
        {
            output.WriteLine($"NOW PASSES (remove from {KnownFailures.FileName}) {id}");
        }

        unexpected.Select(u => u.Id).Should().BeEmpty("every failing case must be listed in {0}", KnownFailures.FileName);
        newlyPassing.Should().BeEmpty("cases that now pass must be removed from {0}", KnownFailures.FileName);
    }
}
