/// What a stream in a container carries.
package enum StreamType: String, Sendable, Hashable, Encodable, CustomStringConvertible {
    case video
    case audio
    case subtitle
    case data
    case attachment
    case unknown

    /// The type's name, as reports write it (`video`, `audio`…).
    package var description: String {
        rawValue
    }
}
