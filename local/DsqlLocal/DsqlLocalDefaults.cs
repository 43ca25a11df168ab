namespace DsqlLocal;

/// <summary>The documented defaults, so clients and tests can sign requests without configuration.</summary>
public static class DsqlLocalDefaults
{
    public const string AccessKeyId = "AKIADSQLLOCALEXAMPLE";
    public const string SecretAccessKey = "dsql-local-secret-access-key";
    public const string AccountId = "123456789012";
    public const string Host = "127.0.0.1";
    public const int Port = 8787;
}

/// <summary>An access key the emulator accepts signatures from.</summary>
public sealed record AccessKeyPair(string AccessKeyId, string SecretAccessKey);
