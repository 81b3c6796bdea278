#ifndef FERRY_FUZZ_ENTRY_H
#define FERRY_FUZZ_ENTRY_H

/* Nothing to import: this target only supplies the fuzz executables' entry points (FuzzEntry.c). */

#endif
