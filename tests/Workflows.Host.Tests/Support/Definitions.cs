namespace Workflows.Host.Tests.Support;

internal static class Definitions
{
    public const string PassOnly = """
        {"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":{"greeting":"hi"},"ResultPath":"$.said","End":true}}}
        """;

    public const string WaitTenMinutes = """
        {"StartAt":"Wait","States":{"Wait":{"Type":"Wait","Seconds":600,"Next":"Done"},"Done":{"Type":"Succeed"}}}
        """;

    /// <summary>Prepare (Pass) then the function "work", which tests make fail or block as they need.</summary>
    public static string CallsWork(string functionArn) =>
        """{"StartAt":"Prepare","States":{"Prepare":{"Type":"Pass","Result":"prepared","ResultPath":"$.prepared","Next":"Work"},"Work":{"Type":"Task","Resource":""" + "\"" + functionArn + "\"" + ""","End":true}}}""";

    public const string WorkArn = "arn:aws:lambda:us-east-1:123456789012:function:work";
}
