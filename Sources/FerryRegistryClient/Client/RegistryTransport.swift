import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with a registry.
public struct RegistryHTTPRequest: Sendable, Hashable {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public var method: String
    /// The path with each segment already percent-encoded, e.g. `/subjects/acme%2Fmoney.proto/versions`.
    public var path: String
    /// The JSON body, if any.
    public var body: [UInt8]?

    /// Creates a request.
    public init(method: String, path: String, body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.body = body
    }
}

/// Carries ``RegistryHTTPRequest``s to a registry: the seam that keeps the client independent of an
/// HTTP library (``URLSessionRegistryTransport`` by default; tests may answer in process).
public protocol RegistryTransport: Sendable {
    /// Sends a request and returns the status code and body.
    ///
    /// - Throws: ``RegistryError/Code/transportError`` when no answer arrives.
    func send(_ request: RegistryHTTPRequest) async throws(RegistryError) -> (status: Int, body: [UInt8])
}

/// How a client proves who it is to a registry that asks for credentials.
public enum RegistryCredentials: Sendable, Hashable {
    /// HTTP basic authentication with a user name and password.
    case basic(user: String, password: String)
    /// A bearer token.
    case bearer(token: String)

    /// `USER:PASSWORD`, as confluent-kafka's `basic.auth.user.info` spells it; nil without a colon.
    public init?(userInfo: String) {
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        self = .basic(user: String(userInfo[..<colon]), password: String(userInfo[userInfo.index(after: colon)...]))
    }

    /// The `Authorization` header value.
    public var authorization: String {
        switch self {
        case .basic(let user, let password): "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case .bearer(let token): "Bearer " + token
        }
    }
}

/// A ``RegistryTransport`` over Foundation's URLSession.
///
/// HTTPS uses the system's trusted certificate authorities.
public struct URLSessionRegistryTransport: RegistryTransport {
    /// The registry's base URL, e.g. `http://127.0.0.1:8081`.
    public var baseURL: String
    /// Sent with every request, when set.
    public var credentials: RegistryCredentials?
    private let session: URLSession

    /// Creates a transport for a base URL.
    public init(baseURL: String, timeout: Double = 30, credentials: RegistryCredentials? = nil) {
        self.credentials = credentials
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        self.session = URLSession(configuration: configuration)
    }

    /// Sends a request and returns the status code and body.
    public func send(_ request: RegistryHTTPRequest) async throws(RegistryError) -> (status: Int, body: [UInt8]) {
        guard let url = URL(string: baseURL + request.path) else {
            throw RegistryError(.transportError, "invalid registry URL \(baseURL + request.path)")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.setValue(RegistryJSON.contentType, forHTTPHeaderField: "Accept")
        if let credentials { urlRequest.setValue(credentials.authorization, forHTTPHeaderField: "Authorization") }
        if let body = request.body {
            urlRequest.httpBody = Data(body)
            urlRequest.setValue(RegistryJSON.contentType, forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return (status, [UInt8](data))
        } catch {
            throw RegistryError(
                .transportError,
                "registry at \(baseURL) did not answer \(request.method) \(request.path): \(error)"
            )
        }
    }
}
