<?php
// Embedding libsafeguard in a PHP program through its C ABI with FFI
// (docs/embedding.md, "PHP"): load a built-in policy, decide one request,
// read the decision, and handle a request that cannot be decided by its
// error code and path.
//
// Run (PHP 8.1 or later with the FFI extension):
//   php -d ffi.enable=1 evaluate.php
// with libsafeguard.so.0 where the loader finds it.

// The declarations of safeguard.h this program calls (FFI reads no
// preprocessor lines, so not the header itself). sg_result is a uint32_t;
// the request is declared `const char *` (the header's `const uint8_t *`,
// the same in the ABI) so that FFI passes a PHP string as it is.
$sg = FFI::cdef(<<<'C'
    typedef struct sg_engine sg_engine;
    typedef uint32_t sg_result;
    sg_result sg_engine_from_preset(const char *id, sg_engine **out);
    void sg_engine_free(sg_engine *engine);
    sg_result sg_evaluate(const sg_engine *engine, const char *request, size_t len,
                          char **out, size_t *out_len);
    void sg_string_free(char *s);
    const char *sg_last_error(void);
    const char *sg_error_message(sg_result result);
    C, 'libsafeguard.so.0');

/** A failure of the library: its result, and the error from sg_last_error(). */
final class SafeguardException extends Exception
{
    public readonly array $error;

    public function __construct(FFI $sg, public readonly int $result)
    {
        // Read on the thread that made the failed call, before its next call.
        // (FFI gives a `const char *` result as a PHP string, copied.)
        parent::__construct($sg->sg_error_message($result));
        $this->error = json_decode($sg->sg_last_error(), true, 512, JSON_THROW_ON_ERROR)['error'];
    }
}

/** Decides one JSON request: the decision as an array, or a SafeguardException. */
function evaluate(FFI $sg, FFI\CData $engine, array $request): array
{
    $json = json_encode($request, JSON_THROW_ON_ERROR);
    $out = $sg->new('char *');
    $length = $sg->new('size_t');
    $result = $sg->sg_evaluate($engine, $json, strlen($json), FFI::addr($out), FFI::addr($length));
    if ($result !== 0) {
        throw new SafeguardException($sg, $result);
    }
    // The response is ours: copied into a PHP string, then freed.
    try {
        return json_decode(FFI::string($out, $length->cdata), true, 512, JSON_THROW_ON_ERROR);
    } finally {
        $sg->sg_string_free($out);
    }
}

// Load a policy once and keep the engine; free it with sg_engine_free.
$engine = $sg->new('sg_engine *');
$result = $sg->sg_engine_from_preset('hilldene-primary', FFI::addr($engine));
if ($result !== 0) {
    throw new SafeguardException($sg, $result);
}
try {
    $decision = evaluate($sg, $engine, [
        'domain' => 'sexting',
        'incident_date' => '2025-01-20',
        'young_people' => [['id' => 'a', 'age' => 15, 'role' => 'subject']],
        'facts' => ['adult_involved' => 'no', 'coercion_blackmail_or_grooming' => 'yes'],
    ]);
    // Act on the tokens (outcome, action, who, deadline), never on the words.
    echo "outcome: {$decision['outcome']}\n";
    foreach ($decision['actions'] as $step) {
        echo "step: {$step['action']} {$step['who']} {$step['deadline']}\n";
    }
    echo "policy: {$decision['policy']['id']} {$decision['policy']['digest']}\n";

    // A request that cannot be decided: its code says what is wrong and its
    // path where; neither quotes the request.
    try {
        evaluate($sg, $engine, [
            'domain' => 'sexting',
            'incident_date' => '2025-02-30',
            'young_people' => [['id' => 'a', 'age' => 15, 'role' => 'subject']],
            'facts' => ['adult_involved' => 'no'],
        ]);
    } catch (SafeguardException $e) {
        echo "refused: {$e->error['code']} at " . ($e->error['path'] ?? '(no path)') . "\n";
    }
} finally {
    $sg->sg_engine_free($engine);
}
