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
