#ifndef CPROCESSCONTROL_H
#define CPROCESSCONTROL_H

#include <sys/prctl.h>

// prctl is variadic, which Swift cannot call.

/// Marks the process not dumpable: no core file, and no ptrace attach or /proc/PID/mem read by
/// other processes of the same user.
static inline int fc_prctl_set_not_dumpable(void) {
    return prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L);
}

/// 1 when the process is dumpable, 0 when not, -1 on error.
static inline int fc_prctl_get_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0L, 0L, 0L, 0L);
}

#endif
