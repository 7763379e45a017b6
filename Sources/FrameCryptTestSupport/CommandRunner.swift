public import Foundation

/// What a finished command printed and how it exited.
public struct CommandResult: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
}

/// Runs programs as a user would, from tests: the built `framecrypt` binary and system tools.
public enum CommandRunner {
    /// The `framecrypt` executable built beside the test bundle.
    public static var framecrypt: URL {
        Bundle.main.bundleURL.appendingPathComponent("framecrypt")
    }

    /// Runs `framecrypt` with `arguments`.
    public static func framecrypt(_ arguments: [String], standardInput: String? = nil) throws -> CommandResult {
        PrivateKeyFiles.prepared
        return try run(framecrypt, arguments, standardInput: standardInput)
    }

    /// Runs the program at `executable` (or a name found on PATH) and waits for it.
    public static func run(_ executable: URL, _ arguments: [String], standardInput: String? = nil) throws
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
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Runs a program found on PATH through `/usr/bin/env`.
    public static func system(_ name: String, _ arguments: [String]) throws -> CommandResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments)
    }
}
