/// What a stream in a container carries.
public enum StreamType: String, Sendable, Hashable, Encodable, CustomStringConvertible {
    case video
    case audio
    case subtitle
    case data
    case attachment
    case unknown

    /// The type's name, as reports write it (`video`, `audio`…).
    public var description: String {
        rawValue
    }
}
