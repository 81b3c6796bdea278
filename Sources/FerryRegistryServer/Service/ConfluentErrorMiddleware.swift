import FerryRegistry
import Hummingbird

/// Answers requests no route takes (and any other HTTP error thrown below it) with Confluent's error
/// body, `{"error_code": 404, "message": "HTTP 404 Not Found"}`, as clients expect JSON on every error.
struct ConfluentErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return RegistryHTTP.json(
                RegistryJSON.ErrorResponse(
                    errorCode: error.status.code,
                    message: "HTTP \(error.status.code) \(error.status.reasonPhrase)"
                ),
                status: error.status
            )
        }
    }
}
