import Foundation

/// A program that prints a key file's JSON on its standard output (`--key-command`), as git
/// credential helpers and AWS `credential_process` programs print credentials.
///
/// The program runs without a shell, in a process group of its own (so a deadline stops everything
/// it started), with no standard input (it must not prompt) and framecrypt's standard error (its
/// messages reach the user). Errors name the command, never what it printed.
struct KeyCommand {
    let line: String
    let settings: KeySourceSettings

    /// Runs the command and reads its answer as a key file.
    ///
    /// - Throws: ``FrameCryptError`` `.keyFailure` when the command cannot start, exits non-zero, is
    ///   killed, prints too much or misses its deadline; `.malformedInput` when its output is not a
    ///   key file; `.invalidArgument` for a command line that does not split into words.
    func keys() throws(FrameCryptError) -> KeySet {
        var output = try run()
        defer {
            output.withUnsafeMutableBytes { bytes in
                if let base = bytes.baseAddress {
                    explicit_bzero(base, bytes.count)
                }
            }
        }
        return try KeyFile.parse(Data(output), source: "\(KeySource.command(line))")
    }

    private var name: String {
        "\(KeySource.command(line))"
    }

    /// The command's standard output, once it has exited with status 0.
    private func run() throws(FrameCryptError) -> [UInt8] {
        let words = try CommandWords.split(line)
        let child = try spawn(words)
        var answer: [UInt8] = []
        answer.reserveCapacity(KeySourceSettings.maximumAnswerBytes)
        let deadline = ContinuousClock.now + .milliseconds(Int(settings.timeoutSeconds * 1000))
        let outcome = read(from: child.output, into: &answer, until: deadline)
        close(child.output)
        let status = outcome == .finished ? wait(for: child.pid, until: deadline) : nil
        if status == nil {
            kill(-child.pid, SIGKILL)
            var ignored: Int32 = 0
            while waitpid(child.pid, &ignored, 0) < 0 && errno == EINTR {}
        }
        if outcome == .tooLarge {
            throw FrameCryptError(
                .keyFailure,
                "\(name): printed more than \(KeySourceSettings.maximumAnswerBytes) bytes; a key file is smaller"
            )
        }
        guard let status else {
            throw FrameCryptError(.keyFailure, "\(name): did not finish within \(settings.timeoutText)")
        }
        guard status.exited, status.code == 0 else {
            throw FrameCryptError(
                .keyFailure,
                status.exited
                    ? "\(name): exited with status \(status.code)" : "\(name): killed by signal \(status.code)"
            )
        }
        return answer
    }

    private struct Child {
        let pid: pid_t
        let output: Int32
    }

    /// Starts `words` with its standard output on a pipe, standard input on /dev/null, in a new
    /// process group and with default signal handling (framecrypt ignores SIGPIPE; the command
    /// should not inherit that).
    private func spawn(_ words: [String]) throws(FrameCryptError) -> Child {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            throw FrameCryptError(.keyFailure, "\(name): cannot start: \(String(cString: strerror(errno)))")
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        )
        let arguments = words.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, words[0], &actions, &attributes, arguments, environ)
        close(pipeEnds[1])
        guard result == 0 else {
            close(pipeEnds[0])
            let reason = result == ENOENT ? "not found" : String(cString: strerror(result))
            throw FrameCryptError(.keyFailure, "\(name): cannot start \(words[0]): \(reason)")
        }
        return Child(pid: pid, output: pipeEnds[0])
    }

    private enum ReadOutcome {
        case finished, tooLarge, timedOut
    }

    /// Reads `descriptor` to its end, at most the answer limit, before `deadline`.
    private func read(
        from descriptor: Int32,
        into answer: inout [UInt8],
        until deadline: ContinuousClock.Instant
    ) -> ReadOutcome {
        var chunk = [UInt8](repeating: 0, count: 16384)
        defer { explicit_bzero(&chunk, chunk.count) }
        while true {
            let remaining = Self.milliseconds(until: deadline)
            guard remaining > 0 else { return .timedOut }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining, Int(Int32.max))))
            if ready < 0 && errno == EINTR {
                continue
            }
            guard ready > 0 else { return .timedOut }
            let count = Foundation.read(descriptor, &chunk, chunk.count)
            if count < 0 && errno == EINTR {
                continue
            }
            guard count > 0 else { return .finished }
            guard answer.count + count <= KeySourceSettings.maximumAnswerBytes else { return .tooLarge }
            answer.append(contentsOf: chunk[0..<count])
        }
    }

    private struct Termination {
        /// True for a normal exit (`code` is its status), false for a signal (`code` is its number).
        let exited: Bool
        let code: Int32
    }

    /// The child's status once it has ended, polling until `deadline`; nil if it is still running.
    private func wait(for pid: pid_t, until deadline: ContinuousClock.Instant) -> Termination? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                let signal = status & 0x7f
                return signal == 0
                    ? Termination(exited: true, code: (status >> 8) & 0xff) : Termination(exited: false, code: signal)
            }
            if result < 0 && errno != EINTR {
                return nil
            }
            guard Self.milliseconds(until: deadline) > 0 else { return nil }
            usleep(5000)
        }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let left = deadline - .now
        return Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
    }
}
