internal import CCurl
import Glibc

/// One GET of a small document (a key file) through libcurl, under the rules a key service needs:
/// the peer's certificate and host name verified, only HTTPS redirects followed, a deadline and a
/// size limit on the answer. HTTP itself is libcurl's; this type only sets its options and reads
/// the outcome.
public enum HTTPSFetch {
    /// What to fetch and how.
    public struct Request: Sendable {
        /// The URL; its scheme must be allowed by `allowsPlainHTTP`.
        public var url: String
        /// A PEM file of certificate authorities to trust instead of the system's; nil for the system's.
        public var certificateAuthorities: String?
        /// Request headers as `Name: value` lines.
        public var headers: [String]
        /// The deadline for the whole exchange, connection and redirects included.
        public var timeoutSeconds: Double
        /// The largest answer accepted, in bytes.
        public var maximumBytes: Int
        /// Whether the first request may use `http://` (redirects are HTTPS only whatever this says).
        public var allowsPlainHTTP: Bool

        /// A GET of `url` under the given rules.
        public init(
            url: String,
            certificateAuthorities: String? = nil,
            headers: [String] = [],
            timeoutSeconds: Double,
            maximumBytes: Int,
            allowsPlainHTTP: Bool
        ) {
            self.url = url
            self.certificateAuthorities = certificateAuthorities
            self.headers = headers
            self.timeoutSeconds = timeoutSeconds
            self.maximumBytes = maximumBytes
            self.allowsPlainHTTP = allowsPlainHTTP
        }
    }

    /// Why a fetch failed.
    public enum Failure: Error, Sendable, Equatable {
        /// The exchange did not complete: connection, TLS verification, timeout, redirect refused.
        /// The text is libcurl's own account, which names hosts but may name more (callers redact).
        case transport(text: String)
        /// The answer was larger than `maximumBytes`.
        case tooLarge(limit: Int)
        /// No answer before the deadline.
        case timedOut
        /// A redirect led to a URL whose scheme is not allowed (plain HTTP).
        case redirectRefused
        /// The peer's certificate or host name did not verify; the text is libcurl's account.
        case untrusted(text: String)
        /// The server answered with a status other than 2xx.
        case status(Int)
    }

    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Fetches `request.url`; the caller owns (and should wipe) the returned bytes.
    public static func get(_ request: Request) throws(Failure) -> [UInt8] {
        guard initialized, let handle = curl_easy_init() else {
            throw .transport(text: "libcurl could not be initialized")
        }
        defer { curl_easy_cleanup(handle) }
        let body = AnswerBuffer(limit: request.maximumBytes)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        for header in request.headers {
            headerList = curl_slist_append(headerList, header)
        }
        defer { curl_slist_free_all(headerList) }
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorText.withUnsafeMutableBufferPointer { errorBuffer in
            let configured = configure(handle, for: request, headers: headerList, errors: errorBuffer, body: body)
            return configured == CURLE_OK ? curl_easy_perform(handle) : configured
        }
        guard code == CURLE_OK else {
            body.wipe()
            let detail = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw failure(code, detail: detail, exceeded: body.exceeded, limit: request.maximumBytes)
        }
        var status = 0
        guard fc_curl_response_code(handle, &status) == CURLE_OK, (200..<300).contains(status) else {
            body.wipe()
            throw .status(status)
        }
        return body.take()
    }

    /// Sets the handle's options; the first option libcurl refuses, or `CURLE_OK`.
    private static func configure(
        _ handle: UnsafeMutableRawPointer,
        for request: Request,
        headers: UnsafeMutablePointer<curl_slist>?,
        errors: UnsafeMutableBufferPointer<CChar>,
        body: AnswerBuffer
    ) -> CURLcode {
        var options = [
            fc_curl_setopt_string(handle, CURLOPT_URL, request.url),
            fc_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, request.allowsPlainHTTP ? "http,https" : "https"),
            fc_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https"),
            fc_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1),
            fc_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 5),
            fc_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
            fc_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
            fc_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            fc_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeoutSeconds * 1000))),
            fc_curl_setopt_long(handle, CURLOPT_MAXFILESIZE, request.maximumBytes),
            fc_curl_setopt_string(handle, CURLOPT_USERAGENT, "framecrypt"),
            fc_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headers),
            fc_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress),
            fc_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(body).toOpaque()),
            fc_curl_setopt_write_function(handle) { data, size, count, context in
                guard let context, let data else { return 0 }
                let buffer = Unmanaged<AnswerBuffer>.fromOpaque(context).takeUnretainedValue()
                return buffer.append(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
            },
        ]
        if let authorities = request.certificateAuthorities {
            options.append(fc_curl_setopt_string(handle, CURLOPT_CAINFO, authorities))
            options.append(fc_curl_setopt_string(handle, CURLOPT_CAPATH, nil))
        }
        return options.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    /// What a failed transfer means; `detail` is libcurl's error buffer.
    private static func failure(_ code: CURLcode, detail: String, exceeded: Bool, limit: Int) -> Failure {
        if exceeded || code == CURLE_FILESIZE_EXCEEDED {
            return .tooLarge(limit: limit)
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        // Callers check the first URL's scheme, so only a redirect meets this.
        case CURLE_UNSUPPORTED_PROTOCOL: return .redirectRefused
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: return .untrusted(text: detail)
        default:
            return .transport(text: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
    }
}

/// The answer as it arrives, refused past its limit; wiped when dropped.
private final class AnswerBuffer {
    private var bytes: [UInt8] = []
    private let limit: Int
    private(set) var exceeded = false

    /// Reserves the whole limit at once, so no reallocation leaves an unwiped copy behind.
    init(limit: Int) {
        self.limit = limit
        bytes.reserveCapacity(limit)
    }

    /// Appends `chunk`; false (and nothing kept) once the answer would pass the limit.
    func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= limit else {
            exceeded = true
            wipe()
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }

    /// Zeroes and drops what has arrived.
    func wipe() {
        bytes.withUnsafeMutableBytes { storage in
            if let base = storage.baseAddress {
                explicit_bzero(base, storage.count)
            }
        }
        bytes.removeAll()
    }

    /// Hands the answer over; the buffer is empty afterwards.
    func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}
