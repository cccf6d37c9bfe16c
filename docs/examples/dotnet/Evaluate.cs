// Embedding libsafeguard in a C# program through its C ABI with P/Invoke
// (docs/embedding.md, ".NET"): load a built-in policy, decide one request,
// read the decision, and handle a request that cannot be decided by its
// error code and path.
//
// Tested here with Mono (Debian's mono-mcs):  mcs -r:System.Runtime.Serialization Evaluate.cs
// With libsafeguard.so where the loader finds it.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

/// <summary>The functions of safeguard.h this program calls.</summary>
static class Native
{
    const string Library = "safeguard"; // libsafeguard.so, safeguard.dll, libsafeguard.dylib
    public const uint Ok = 0;

    [DllImport(Library)] public static extern uint sg_engine_from_preset(byte[] id, out IntPtr engine);
    [DllImport(Library)] public static extern void sg_engine_free(IntPtr engine);
    [DllImport(Library)]
    public static extern uint sg_evaluate(IntPtr engine, byte[] request, UIntPtr length, out IntPtr response, out UIntPtr responseLength);
    [DllImport(Library)] public static extern void sg_string_free(IntPtr text);
    [DllImport(Library)] public static extern IntPtr sg_last_error();
    [DllImport(Library)] public static extern IntPtr sg_error_message(uint result);

    /// <summary>A NUL-terminated UTF-8 string of the library, copied.</summary>
    public static string Text(IntPtr text, int length = -1)
    {
        if (length < 0) for (length = 0; Marshal.ReadByte(text, length) != 0; length++) { }
        var bytes = new byte[length];
        Marshal.Copy(text, bytes, 0, length);
        return Encoding.UTF8.GetString(bytes);
    }

    public static byte[] Utf8(string text, bool nulTerminated) =>
        Encoding.UTF8.GetBytes(nulTerminated ? text + "\0" : text);
}

[DataContract] class Step
{
    [DataMember(Name = "action")] public string Action;
    [DataMember(Name = "who")] public string Who;
    [DataMember(Name = "deadline")] public string Deadline;
}

[DataContract] class PolicyRef
{
    [DataMember(Name = "id")] public string Id;
    [DataMember(Name = "digest")] public string Digest;
}

[DataContract] class Decision
{
    [DataMember(Name = "outcome")] public string Outcome;
    [DataMember(Name = "actions")] public Step[] Actions;
    [DataMember(Name = "policy")] public PolicyRef Policy;
}

[DataContract] class ErrorObject
{
    [DataMember(Name = "code")] public string Code;
    [DataMember(Name = "path")] public string Path;
}

[DataContract] class ErrorEnvelope
{
    [DataMember(Name = "error")] public ErrorObject Error;
}

/// <summary>A failure of the library: its result, and the error from sg_last_error().</summary>
class SafeguardException : Exception
{
    public readonly uint Result;
    public readonly ErrorObject Error;

    // Read on the thread that made the failed call, before its next call.
    public SafeguardException(uint result) : base(Native.Text(Native.sg_error_message(result)))
    {
        Result = result;
        Error = Program.Read<ErrorEnvelope>(Native.Text(Native.sg_last_error())).Error;
    }
}

static class Program
{
    public static T Read<T>(string json)
    {
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(json)))
            return (T)new DataContractJsonSerializer(typeof(T)).ReadObject(stream);
    }

    /// <summary>Decides one JSON request: the decision, or a SafeguardException.</summary>
    static Decision Evaluate(IntPtr engine, string request)
    {
        var bytes = Native.Utf8(request, false);
        uint result = Native.sg_evaluate(engine, bytes, (UIntPtr)bytes.Length, out IntPtr response, out UIntPtr length);
        if (result != Native.Ok) throw new SafeguardException(result);
        // The response is ours: copied into a .NET string, then freed.
        try { return Read<Decision>(Native.Text(response, (int)length)); }
        finally { Native.sg_string_free(response); }
    }

    static void Main()
    {
        // Load a policy once and keep the engine: any number of threads may
        // share it. It is freed with sg_engine_free when no thread uses it.
        uint result = Native.sg_engine_from_preset(Native.Utf8("hilldene-primary", true), out IntPtr engine);
        if (result != Native.Ok) throw new SafeguardException(result);
        try
        {
            var decision = Evaluate(engine, "{\"domain\":\"sexting\",\"incident_date\":\"2025-01-20\","
                + "\"young_people\":[{\"id\":\"a\",\"age\":15,\"role\":\"subject\"}],"
                + "\"facts\":{\"adult_involved\":\"no\",\"coercion_blackmail_or_grooming\":\"yes\"}}");
            // Act on the tokens (outcome, action, who, deadline), never on the words.
            Console.WriteLine("outcome: " + decision.Outcome);
            foreach (var step in decision.Actions)
                Console.WriteLine("step: " + step.Action + " " + step.Who + " " + step.Deadline);
            Console.WriteLine("policy: " + decision.Policy.Id + " " + decision.Policy.Digest);

            // A request that cannot be decided: its code says what is wrong
            // and its path where; neither quotes the request.
            try
            {
                Evaluate(engine, "{\"domain\":\"sexting\",\"incident_date\":\"2025-02-30\","
                    + "\"young_people\":[{\"id\":\"a\",\"age\":15,\"role\":\"subject\"}],"
                    + "\"facts\":{\"adult_involved\":\"no\"}}");
            }
            catch (SafeguardException e)
            {
                Console.WriteLine("refused: " + e.Error.Code + " at " + (e.Error.Path ?? "(no path)"));
            }
        }
        finally
        {
            Native.sg_engine_free(engine);
        }
    }
}
