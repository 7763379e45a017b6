import Foundation
import FrameCryptFetch

/// A key service (`--key-url`): an HTTPS endpoint that answers a GET with a key file's JSON, as the
/// SDKs' own guidance has clients fetch a meeting's key from the application's server.
///
/// Plain `http://` is accepted only for loopback addresses (a local agent or sidecar); redirects
/// are followed to HTTPS only. Errors name the host and never the URL's path or query, the headers
/// or the answer: any of them may carry a token.
struct KeyServiceURL {
    let url: String
    let settings: KeySourceSettings
    private let components: URLComponents

    /// - Throws: ``FrameCryptError`` `.invalidArgument` for a URL that is not `https://`, or
    ///   `http://` to an address that is not loopback.
    init(_ url: String, settings: KeySourceSettings) throws(FrameCryptError) {
        self.url = url
        self.settings = settings
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw FrameCryptError(.invalidArgument, "key service \(Self.host(of: url)): not a URL with a host")
        }
        self.components = components
        switch components.scheme?.lowercased() {
        case "https": break
        case "http":
            guard Self.isLoopback(host) else {
                throw FrameCryptError(
                    .invalidArgument,
                    "key service \(Self.host(of: url)): plain http is allowed only to a loopback address; use https"
                )
            }
        default:
            throw FrameCryptError(.invalidArgument, "key service \(Self.host(of: url)): only https:// URLs are allowed")
        }
    }

    /// The host and port of `url` as errors show it, without user, path, query or fragment.
    static func host(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            return "(unreadable URL)"
        }
        let shown = host.contains(":") ? "[\(host)]" : host
        return components.port.map { "\(shown):\($0)" } ?? shown
    }

    private var name: String {
        "key service \(Self.host(of: url))"
    }

    /// Fetches and reads the key file.
    ///
    /// - Throws: ``FrameCryptError`` `.keyFailure` when the exchange fails (TLS, connection,
    ///   timeout, an HTTP status other than 2xx, an answer over the size limit), `.invalidArgument`
    ///   for a header that is not `Name: value` or names an unset variable, `.malformedInput` for an
    ///   answer that is not a key file.
    func keys() throws(FrameCryptError) -> KeySet {
        let headers = try settings.headers.map { (header) throws(FrameCryptError) in try expand(header) }
        let request = HTTPSFetch.Request(
            url: url,
            certificateAuthorities: settings.certificateAuthorities,
            headers: headers,
            timeoutSeconds: settings.timeoutSeconds,
            maximumBytes: KeySourceSettings.maximumAnswerBytes,
            allowsPlainHTTP: components.scheme?.lowercased() == "http"
        )
        var answer: [UInt8]
        do {
            answer = try HTTPSFetch.get(request)
        } catch {
            // The failure itself is not kept as the cause: libcurl's text may hold the URL's query.
            let unauthorized = if case .status(401) = error { true } else { false }
            throw FrameCryptError(
                .keyFailure,
                "\(name): \(explain(error, headers: headers))",
                remedy: unauthorized ? .checkKeyServiceHeaders : nil
            )
        }
        defer {
            answer.withUnsafeMutableBytes { bytes in
                if let base = bytes.baseAddress {
                    explicit_bzero(base, bytes.count)
                }
            }
        }
        return try KeyFile.parse(Data(answer), source: name)
    }

    /// The failure in words, with anything from the URL beyond its host, and every header value,
    /// taken out of libcurl's text.
    private func explain(_ failure: HTTPSFetch.Failure, headers: [String]) -> String {
        switch failure {
        case .tooLarge(let limit):
            return "answered with more than \(limit) bytes; a key file is smaller"
        case .status(let code):
            let hint =
                switch code {
                case 401: " (not authorized)"
                case 403: " (forbidden)"
                case 404: " (no key file there)"
                default: ""
                }
            return "answered HTTP \(code)\(hint)"
        case .timedOut:
            return "no answer within \(settings.timeoutText)"
        case .redirectRefused:
            return "redirected to a plain http:// URL; only https redirects are followed"
        case .untrusted(let text):
            return redact(text, headers: headers)
                + " (not verified against \(settings.certificateAuthorities ?? "the system's certificate authorities"))"
        case .transport(let text):
            return redact(text, headers: headers)
        }
    }

    /// `text` without the URL's path, query or user, or any header value.
    private func redact(_ text: String, headers: [String]) -> String {
        var redacted = text
        let hidden =
            [
                url, components.percentEncodedPath, components.percentEncodedQuery, components.user,
                components.password,
            ]
            .compactMap { $0 }
            + headers.compactMap { $0.split(separator: ":", maxSplits: 1).last.map(String.init) }
        for secret in hidden.map({ $0.trimmingCharacters(in: .whitespaces) }) where secret.count > 1 {
            redacted = redacted.replacingOccurrences(of: secret, with: "…")
        }
        return redacted
    }

    /// `Name: value` with a value written `$VAR` replaced by that environment variable's value.
    private func expand(_ header: String) throws(FrameCryptError) -> String {
        guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
            throw FrameCryptError(.invalidArgument, "\(name): a header must be written 'Name: value'")
        }
        let headerName = header[..<colon].trimmingCharacters(in: .whitespaces)
        let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let expanded = try expandVariables(in: value, header: headerName)
        return "\(headerName): \(expanded)"
    }

    /// Every `$VAR` or `${VAR}` in `value` replaced from the environment.
    private func expandVariables(in value: String, header: String) throws(FrameCryptError) -> String {
        var result = ""
        var rest = Substring(value)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            var reference = rest[rest.index(after: dollar)...]
            let braced = reference.first == "{"
            if braced {
                reference = reference.dropFirst()
            }
            let variable = reference.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
            guard !variable.isEmpty else {
                throw FrameCryptError(.invalidArgument, "\(name): header \(header): a $ without a variable name")
            }
            guard let found = ProcessInfo.processInfo.environment[String(variable)] else {
                throw FrameCryptError(
                    .invalidArgument,
                    "\(name): header \(header): environment variable \(variable) is not set"
                )
            }
            result += found
            rest = reference[variable.endIndex...]
            if braced {
                guard rest.first == "}" else {
                    throw FrameCryptError(.invalidArgument, "\(name): header \(header): unclosed ${")
                }
                rest = rest.dropFirst()
            }
        }
        return result + rest
    }

    /// `localhost`, 127.0.0.0/8 and ::1.
    private static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" {
            return true
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
        }
        return false
    }
}
