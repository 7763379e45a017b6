import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Puts ``StreamLabel``s on output streams and takes them off again.
enum StreamTags {
    /// MP4/MOV's stream field that carries the label there.
    static let handlerName = "handler_name"

    /// `metadata` with `label` added (and any older label removed), in the way `format` can carry it.
    static func labelled(_ metadata: [MetadataEntry], with label: StreamLabel, for format: OutputFormat)
        -> [MetadataEntry]
    {
        let (_, clean) = unlabelled(metadata)
        if format.labelsInHandlerName {
            let original = clean.first { $0.key.lowercased() == handlerName }?.value ?? ""
            let entry = MetadataEntry(key: handlerName, value: label.handlerName(keeping: original))
            return clean.filter { $0.key.lowercased() != handlerName } + [entry]
        }
        return clean + label.tags.map { MetadataEntry(key: $0.key, value: $0.value) }
    }

    /// Start of the file tag that holds stream N's label in formats that keep it at file level (MOV):
    /// `FRAMECRYPT_STREAM_N`, whose value is the label's ``StreamLabel/text``.
    static let fileTagPrefix = StreamLabel.tagPrefix + "STREAM_"

    /// File tags carrying the labels of `streams` (the output streams' tags, in order) for formats
    /// that keep them at file level; empty for other formats.
    static func fileTags(forStreams streams: [[MetadataEntry]], format: OutputFormat) -> [MetadataEntry] {
        guard format.labelsInFileTags else { return [] }
        return streams.enumerated().compactMap { index, metadata in
            unlabelled(metadata).label.map { MetadataEntry(key: fileTagPrefix + String(index), value: $0.text) }
        }
    }

    /// Moves labels kept in file tags onto their streams' tags, as if the container had kept them
    /// there, and removes those file tags so no output copies them.
    static func attachFileLabels(to streams: inout [MediaStream], from fileMetadata: inout [MetadataEntry]) {
        fileMetadata.removeAll { entry in
            guard entry.key.uppercased().hasPrefix(fileTagPrefix) else { return false }
            guard let index = Int(entry.key.dropFirst(fileTagPrefix.count)), streams.indices.contains(index),
                let label = StreamLabel.parse(handlerName: entry.value)?.label
            else { return true }
            streams[index].metadata += label.tags.map { MetadataEntry(key: $0.key, value: $0.value) }
            return true
        }
    }

    /// The label found in `metadata` (as tags or in the handler name) and the metadata without it,
    /// with the source's handler name restored.
    static func unlabelled(_ metadata: [MetadataEntry]) -> (label: StreamLabel?, metadata: [MetadataEntry]) {
        var label = StreamLabel(tags: metadata.map { ($0.key, $0.value) })
        var clean: [MetadataEntry] = []
        for entry in metadata where !StreamLabel.isLabelTag(entry.key) {
            if entry.key.lowercased() == handlerName, let parsed = StreamLabel.parse(handlerName: entry.value) {
                label = label ?? parsed.label
                if !parsed.originalHandler.isEmpty {
                    clean.append(MetadataEntry(key: entry.key, value: parsed.originalHandler))
                }
            } else {
                clean.append(entry)
            }
        }
        return (label, clean)
    }
}
