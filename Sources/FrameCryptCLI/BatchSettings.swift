import ArgumentParser
import FrameCryptBatch
import FrameCryptCore
import FrameCryptKit

/// The options of a parsed command that shape a batch's outputs, as `name=value` lines: a batch
/// keeps an earlier output only when its completion record was made under the same lines
/// (docs/BATCH.md). They are read from the command's own option properties, so an option added
/// later counts without being listed anywhere; forgetting to declare one output-neutral only makes
/// a rerun redo work. Key material never appears: key options hold where keys come from (a path,
/// a command, a URL, a variable's name), and only a digest of the lines is ever written.
enum BatchSettings {
    /// The lines of `command`, its option groups' options named `group.option`.
    static func lines(of command: some ParsableArguments) -> [String] {
        lines(of: command, prefix: "")
    }

    private static func lines(of options: Any, prefix: String) -> [String] {
        let shape = type(of: options) as? any BatchSettingsShape.Type
        var lines: [String] = []
        for child in Mirror(reflecting: options).children {
            // Property wrappers are stored as `_name`.
            guard let label = child.label, label.hasPrefix("_") else { continue }
            let name = String(label.dropFirst())
            guard shape?.outputNeutral.contains(name) != true else { continue }
            if let group = child.value as? any OptionGroupValue {
                lines += self.lines(of: group.options, prefix: prefix + name + ".")
            } else if let option = child.value as? any OptionValue {
                let value = text(option.value)
                let isPath = shape?.paths.contains(name) == true && !value.isEmpty
                lines.append("\(prefix)\(name)=\(isPath ? BatchInputs.canonical(value) : value)")
            }
        }
        return lines
    }

    /// A value as text that is the same in every run: optionals unwrapped (nil as empty), arrays
    /// element by element, sets sorted, everything else by its description.
    private static func text(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.map { text($0.value) } ?? ""
        case .collection: return mirror.children.map { text($0.value) }.joined(separator: ",")
        case .set: return mirror.children.map { text($0.value) }.sorted().joined(separator: ",")
        default: return String(describing: value)
        }
    }
}

/// An option group or command that says which of its options do not shape outputs and which name
/// files. Property names, as declared.
protocol BatchSettingsShape {
    /// Options that change how a run goes (where outputs go, how many jobs, what is printed), not
    /// what an output holds.
    static var outputNeutral: Set<String> { get }
    /// Options that name a file: their values count as canonical paths, so that a rerun from
    /// another folder matches.
    static var paths: Set<String> { get }
}

extension BatchSettingsShape {
    static var paths: Set<String> {
        []
    }
}

/// A parsed option, flag or argument's value.
private protocol OptionValue {
    var value: Any { get }
}

/// A parsed option group.
private protocol OptionGroupValue {
    var options: Any { get }
}

extension Option: OptionValue {
    fileprivate var value: Any {
        wrappedValue
    }
}

extension Flag: OptionValue {
    fileprivate var value: Any {
        wrappedValue
    }
}

extension OptionGroup: OptionGroupValue {
    fileprivate var options: Any {
        wrappedValue
    }
}

extension JobOptions: BatchSettingsShape {
    static let outputNeutral: Set = ["output", "force", "quiet", "json", "verbose"]
}

extension BatchOptions: BatchSettingsShape {
    static let outputNeutral: Set = ["outputDir", "recursive", "manifest", "jobs", "shard"]
}

extension KeySourceOptions: BatchSettingsShape {
    /// Headers carry tokens and shape no output, so not even their digest is kept.
    static let outputNeutral: Set = ["keyUrlCa", "keyUrlHeader", "keyTimeout", "allowSharedKeyFile"]
    static let paths: Set = ["keyFile"]
}

extension FrameCrypt.Encrypt: BatchSettingsShape {
    static let outputNeutral: Set<String> = []
    static let paths: Set = ["scenario"]
}

extension FrameCrypt.Inspect: BatchSettingsShape {
    static let outputNeutral: Set = ["frames", "reference", "snapshot", "force", "json", "verbose"]
}

extension FrameCrypt.VerifyKeys: BatchSettingsShape {
    static let outputNeutral: Set = ["json", "force", "verbose"]
}
