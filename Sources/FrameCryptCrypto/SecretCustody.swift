internal import CProcessControl
import Glibc

/// What the process does once it holds keys: no core file (`RLIMIT_CORE` 0) and not dumpable
/// (`PR_SET_DUMPABLE` 0, which also keeps other processes of the same user from attaching to it or
/// reading its memory). Both last until the process ends; a core dump of a crash would otherwise
/// write every key in memory to disk.
public enum SecretCustody {
    /// Applies the settings; called before any key is read, as often as convenient.
    public static func holdSecrets() {
        _ = applied
    }

    /// Whether the process is currently marked not dumpable and limited to empty core files.
    public static var isHoldingSecrets: Bool {
        var limit = rlimit()
        return getrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0 && limit.rlim_cur == 0 && limit.rlim_max == 0
            && fc_prctl_get_dumpable() == 0
    }

    private static let applied: Bool = {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        let limited = setrlimit(Int32(RLIMIT_CORE.rawValue), &none) == 0
        return fc_prctl_set_not_dumpable() == 0 && limited
    }()
}
