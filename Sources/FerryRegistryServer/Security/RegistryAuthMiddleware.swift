import FerryRegistry
import HTTPTypes
import Hummingbird

/// Lets a request through only if its credentials name a role that may do what it asks
/// (``RegistryRole/required(method:path:)``): 401 with Confluent's 40101 and a
/// `WWW-Authenticate` challenge without valid credentials, 403 with 40301 with too small a role.
struct RegistryAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: RegistryAuthenticator

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch authenticator.authenticate(request.headers[.authorization]) {
        case .failure(.busy):
            var response = RegistryHTTP.error(
                RegistryError(
                    .tooManyRequests,
                    "Too many log-ins are being checked; retry shortly"
                )
            )
            response.headers[.retryAfter] = "1"
            return response
        case .failure(let failure):
            var response = RegistryHTTP.error(
                RegistryError(
                    .unauthorized,
                    failure == .missing
                        ? "Unauthorized: this registry needs credentials"
                        : "Unauthorized: the credentials match no user or token"
                )
            )
            response.headers[.wwwAuthenticate] = "Basic realm=\"ferry-registry\""
            return response
        case .success(let identity):
            let needed = RegistryRole.required(method: request.method.rawValue, path: request.uri.path)
            guard identity.role >= needed else {
                return RegistryHTTP.error(
                    RegistryError(
                        .forbidden,
                        """
                        Forbidden: \(identity.name) has the \(identity.role.rawValue) role; \
                        \(request.method.rawValue) \(request.uri.path) needs \(needed.rawValue)
                        """
                    )
                )
            }
            return try await next(request, context)
        }
    }
}
