// Embedding libsafeguard in a Java program through its C ABI with JNA
// (docs/embedding.md, "Java"): load a built-in policy, decide one request,
// read the decision, and handle a request that cannot be decided by its
// error code and path.
//
// Run (Java 11 or later, JNA 5, Gson):
//   java -cp jna.jar:gson.jar Evaluate.java
// with libsafeguard.so where the loader or -Djna.library.path finds it.
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

public final class Evaluate {
    /** C's size_t. */
    public static final class SizeT extends IntegerType {
        public SizeT() { this(0); }
        public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
    }

    /** The functions of safeguard.h this program calls. */
    public interface Safeguard extends Library {
        Safeguard LIB = Native.load("safeguard", Safeguard.class);
        int SG_RESULT_OK = 0;

        int sg_engine_from_preset(String id, PointerByReference out);
        void sg_engine_free(Pointer engine);
        int sg_evaluate(Pointer engine, byte[] request, SizeT length, PointerByReference out, Pointer outLength);
        void sg_string_free(Pointer string);
        Pointer sg_last_error();
        Pointer sg_error_message(int result);
    }

    /** A failure of the library: its result, and the error from sg_last_error(). */
    static final class SafeguardException extends Exception {
        final int result;
        final JsonObject error;

        SafeguardException(int result) {
            // Read on the thread that made the failed call, before its next call.
            super(Safeguard.LIB.sg_error_message(result).getString(0, "UTF-8"));
            this.result = result;
            this.error = JsonParser.parseString(Safeguard.LIB.sg_last_error().getString(0, "UTF-8"))
                    .getAsJsonObject().getAsJsonObject("error");
        }

        String code() { return error.get("code").getAsString(); }

        String path() { return error.has("path") ? error.get("path").getAsString() : "(no path)"; }
    }

    /** Decides one JSON request: the decision, or a SafeguardException. */
    static JsonObject evaluate(Pointer engine, String request) throws SafeguardException {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        Memory length = new Memory(Native.SIZE_T_SIZE);
        int result = Safeguard.LIB.sg_evaluate(engine, bytes, new SizeT(bytes.length), out, length);
        if (result != Safeguard.SG_RESULT_OK) throw new SafeguardException(result);
        // The response is ours: copied into a Java string, then freed.
        try {
            return JsonParser.parseString(out.getValue().getString(0, "UTF-8")).getAsJsonObject();
        } finally {
            Safeguard.LIB.sg_string_free(out.getValue());
        }
    }

    public static void main(String[] args) throws SafeguardException {
        // Load a policy once and keep the engine: any number of threads may
        // share it. It is freed with sg_engine_free when no thread uses it.
        PointerByReference out = new PointerByReference();
        int result = Safeguard.LIB.sg_engine_from_preset("hilldene-primary", out);
        if (result != Safeguard.SG_RESULT_OK) throw new SafeguardException(result);
        Pointer engine = out.getValue();
        try {
            JsonObject decision = evaluate(engine, "{\"domain\":\"sexting\",\"incident_date\":\"2025-01-20\","
                    + "\"young_people\":[{\"id\":\"a\",\"age\":15,\"role\":\"subject\"}],"
                    + "\"facts\":{\"adult_involved\":\"no\",\"coercion_blackmail_or_grooming\":\"yes\"}}");
            // Act on the tokens (outcome, action, who, deadline), never on the words.
            System.out.println("outcome: " + decision.get("outcome").getAsString());
            for (JsonElement element : decision.getAsJsonArray("actions")) {
                JsonObject step = element.getAsJsonObject();
                System.out.println("step: " + step.get("action").getAsString() + " "
                        + step.get("who").getAsString() + " " + step.get("deadline").getAsString());
            }
            JsonObject policy = decision.getAsJsonObject("policy");
            System.out.println("policy: " + policy.get("id").getAsString() + " " + policy.get("digest").getAsString());

            // A request that cannot be decided: its code says what is wrong
            // and its path where; neither quotes the request.
            try {
                evaluate(engine, "{\"domain\":\"sexting\",\"incident_date\":\"2025-02-30\","
                        + "\"young_people\":[{\"id\":\"a\",\"age\":15,\"role\":\"subject\"}],"
                        + "\"facts\":{\"adult_involved\":\"no\"}}");
            } catch (SafeguardException e) {
                System.out.println("refused: " + e.code() + " at " + e.path());
            }
        } finally {
            Safeguard.LIB.sg_engine_free(engine);
        }
    }
}
