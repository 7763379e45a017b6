import Foundation
import FrameCryptCore
import FrameCryptKit

/// The jobs of a batch named on the command line: files, and the media files inside folders.
package enum BatchInputs {
    /// The extensions taken from a folder.
    package static let mediaExtensions: Set = ["mp4", "m4a", "m4v", "mov", "mkv", "mka", "webm", "ogg", "oga", "opus"]

    /// One job per file in `paths`, and per media file in each folder of `paths` (its subfolders too
    /// with `recursive`), in sorted order.
    ///
    /// Hidden files and folders, and `outputFolder` itself when it lies inside an input folder, are
    /// skipped. A path that does not exist stays a job of its own, which fails when run. Outputs go
    /// to `outputFolder` under `template`; with no output folder the jobs write nothing.
    package static func jobs(
        _ paths: [String],
        recursive: Bool,
        outputFolder: String?,
        template: OutputNameTemplate,
        outputExtension: String?
    ) -> [BatchJob] {
        let excluded = outputFolder.map(canonical)
        var jobs: [BatchJob] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                let name = URL(fileURLWithPath: path).lastPathComponent
                jobs.append(
                    BatchJob(
                        input: path,
                        output: outputFolder.map {
                            join($0, template.render(relativeInput: name, outputExtension: outputExtension))
                        },
                        origin: path
                    )
                )
                continue
            }
            for relative in mediaFiles(in: path, recursive: recursive, excluding: excluded) {
                jobs.append(
                    BatchJob(
                        input: join(path, relative),
                        output: outputFolder.map {
                            join($0, template.render(relativeInput: relative, outputExtension: outputExtension))
                        },
                        origin: join(path, relative)
                    )
                )
            }
        }
        return jobs
    }

    /// Paths relative to `folder` of its media files, sorted.
    private static func mediaFiles(in folder: String, recursive: Bool, excluding excluded: String?) -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = join(folder, relative)
            guard let names = try? manager.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                let full = join(folder, path)
                var isFolder: ObjCBool = false
                guard manager.fileExists(atPath: full, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue {
                    let isLink = (try? manager.destinationOfSymbolicLink(atPath: full)) != nil
                    if recursive && !isLink && canonical(full) != excluded {
                        pending.append(path)
                    }
                } else if mediaExtensions.contains(URL(fileURLWithPath: name).pathExtension.lowercased()) {
                    found.append(path)
                }
            }
        }
        return found.sorted()
    }

    /// `folder/name` without a doubled slash.
    static func join(_ folder: String, _ name: String) -> String {
        guard !name.isEmpty else { return folder }
        return folder.hasSuffix("/") ? folder + name : "\(folder)/\(name)"
    }

    /// An absolute path with symbolic links resolved, to compare paths.
    package static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
