package import Foundation

/// What a finished command printed and how it exited.
package struct CommandResult: Sendable {
    package let status: Int32
    package let standardOutput: String
    package let standardError: String
}

/// Runs programs as a user would, from tests: the built `framecrypt` binary and system tools.
package enum CommandRunner {
    /// The `framecrypt` executable built beside the test bundle.
    package static var framecrypt: URL {
        Bundle.main.bundleURL.appendingPathComponent("framecrypt")
    }

    /// Runs `framecrypt` with `arguments`.
    package static func framecrypt(_ arguments: [String], standardInput: String? = nil) throws -> CommandResult {
        PrivateKeyFiles.prepared
        return try run(framecrypt, arguments, standardInput: standardInput)
    }

    /// Runs the program at `executable` (or a name found on PATH) and waits for it.
    package static func run(_ executable: URL, _ arguments: [String], standardInput: String? = nil) throws
        -> CommandResult
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        try process.run()
        // Both outputs are read at once: a program that fills one pipe while the other is being
        // read to its end would otherwise wait forever.
        let errorReader = PipeReader(error.fileHandleForReading)
        let outputReader = PipeReader(output.fileHandleForReading)
        if let standardInput {
            // A program that exits without reading its input (a refusal) closes the pipe first:
            // the write then fails with EPIPE, which must not kill the test process with SIGPIPE.
            // (Foundation's FileHandle writes trap on EPIPE, so the descriptor is written directly.)
            signal(SIGPIPE, SIG_IGN)
            let bytes = Array(standardInput.utf8)
            let descriptor = input.fileHandleForWriting.fileDescriptor
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes {
                    write(descriptor, $0.baseAddress! + offset, bytes.count - offset)
                }
                guard written > 0 else { break }
                offset += written
            }
        }
        try? input.fileHandleForWriting.close()
        let outputData = outputReader.wait()
        let errorData = errorReader.wait()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Runs a program found on PATH through `/usr/bin/env`.
    package static func system(_ name: String, _ arguments: [String]) throws -> CommandResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments)
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    /// Written by the reading thread before it signals `done`; read after waiting.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    /// Everything the pipe held, once its writer closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}
