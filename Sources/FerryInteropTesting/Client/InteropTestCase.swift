/// Public: the test cases run against FerryRPC's `RPCClient`.
public import FerryRPC

/// The client test cases of grpc's interop test descriptions (doc/interop-test-descriptions.md)
/// that Ferry runs; the raw values are the names grpc's interop clients take in `--test_case`.
public enum InteropTestCase: String, CaseIterable, Sendable {
    case emptyUnary = "empty_unary"
    case largeUnary = "large_unary"
    case clientCompressedUnary = "client_compressed_unary"
    case serverCompressedUnary = "server_compressed_unary"
    case clientStreaming = "client_streaming"
    case clientCompressedStreaming = "client_compressed_streaming"
    case serverStreaming = "server_streaming"
    case serverCompressedStreaming = "server_compressed_streaming"
    case pingPong = "ping_pong"
    case emptyStream = "empty_stream"
    case cancelAfterBegin = "cancel_after_begin"
    case cancelAfterFirstResponse = "cancel_after_first_response"
    case timeoutOnSleepingServer = "timeout_on_sleeping_server"
    case customMetadata = "custom_metadata"
    case statusCodeAndMessage = "status_code_and_message"
    case specialStatusMessage = "special_status_message"
    case unimplementedMethod = "unimplemented_method"
    case unimplementedService = "unimplemented_service"

    /// Runs the case against the server `client` is connected to.
    ///
    /// - Parameters:
    ///   - client: a running client; every call the case makes has a deadline (at most 60 s).
    ///   - report: receives one line for each check that held, in order.
    /// - Throws: ``InteropFailure`` naming the first check that did not hold.
    public func run(
        using client: RPCClient,
        report: @escaping @Sendable (String) -> Void = { _ in }
    )
        async throws(InteropFailure)
    {
        let runner = InteropCaseRunner(client: client, checker: InteropChecker(report: report))
        switch self {
        case .emptyUnary: try await runner.emptyUnary()
        case .largeUnary: try await runner.largeUnary()
        case .clientCompressedUnary: try await runner.clientCompressedUnary()
        case .serverCompressedUnary: try await runner.serverCompressedUnary()
        case .clientStreaming: try await runner.clientStreaming()
        case .serverStreaming: try await runner.serverStreaming()
        case .clientCompressedStreaming: try await runner.clientCompressedStreaming()
        case .serverCompressedStreaming: try await runner.serverCompressedStreaming()
        case .pingPong: try await runner.pingPong()
        case .emptyStream: try await runner.emptyStream()
        case .cancelAfterBegin: try await runner.cancelAfterBegin()
        case .cancelAfterFirstResponse: try await runner.cancelAfterFirstResponse()
        case .timeoutOnSleepingServer: try await runner.timeoutOnSleepingServer()
        case .customMetadata: try await runner.customMetadata()
        case .statusCodeAndMessage: try await runner.statusCodeAndMessage()
        case .specialStatusMessage: try await runner.specialStatusMessage()
        case .unimplementedMethod: try await runner.unimplementedMethod()
        case .unimplementedService: try await runner.unimplementedService()
        }
    }
}
