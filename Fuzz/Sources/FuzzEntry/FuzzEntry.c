/*
 * Entry points of the fuzz executables.
 *
 * SwiftPM links a debug executable with `--defsym main=<Target>_main` (so that tests can import
 * it), which hides libFuzzer's own `main`. Each function below is that renamed `main` for one
 * target and hands control to libFuzzer's driver with the target's LLVMFuzzerTestOneInput
 * (defined in Swift with @_cdecl). Every fuzz executable links all of them; only its own runs.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

int FuzzCodec_main(int argc, char **argv) { return run(argc, argv); }
int FuzzDeframer_main(int argc, char **argv) { return run(argc, argv); }
int FuzzHTTP2Server_main(int argc, char **argv) { return run(argc, argv); }
int FuzzProtoCompiler_main(int argc, char **argv) { return run(argc, argv); }
int FuzzRegistryJSON_main(int argc, char **argv) { return run(argc, argv); }
