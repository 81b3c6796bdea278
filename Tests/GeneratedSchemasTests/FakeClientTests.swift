import FerryCodec
import FerryRPC
import Synchronization
import Testing

/// Application code that depends on the generated client protocol, not on a transport: what a
/// checkout service would write.
private struct Checkout<Payments: Ferry_Examples_V1_Payments.ClientProtocol> {
    let payments: Payments

    /// Charges an order; a declined or failed payment becomes a readable outcome.
    func placeOrder(_ orderID: String, cents: Int64) async -> String {
        var request = Ferry_Examples_V1_ChargeRequest()
        request.orderId = orderID
        var amount = Ferry_Examples_V1_Money()
        amount.currency = "EUR"
        amount.minorUnits = cents
        request.amount = amount
        do {
            let response = try await payments.charge(request, metadata: ["x-order": .string(orderID)])
            return "\(orderID): \(response.outcome == .approved ? "paid" : "declined") as \(response.paymentId)"
        } catch {
            return "\(orderID): failed with \(error.code)"
        }
    }

    /// The statuses of a payment until it settles.
    func track(_ paymentID: String) async throws -> [String] {
        var request = Ferry_Examples_V1_WatchRequest()
        request.paymentId = paymentID
        var statuses: [String] = []
        for try await update in payments.watch(request) { statuses.append(update.status) }
        return statuses
    }

    /// Charges several orders on one stream, reading each answer before sending the next.
    func chargeOneByOne(_ orderIDs: [String]) async throws -> [String] {
        try await payments.chargeLive { requests, responses in
            var iterator = responses.makeAsyncIterator()
            var paid: [String] = []
            for id in orderIDs {
                var request = Ferry_Examples_V1_ChargeRequest()
                request.orderId = id
                try await requests.write(request)
                if let response = try await iterator.next() { paid.append(response.paymentId) }
            }
            return paid
        }
    }
}

/// A test double: no transport, no server; answers from memory and records what it was asked.
private final class FakePayments: Ferry_Examples_V1_Payments.ClientProtocol {
    let calls = Mutex<[String]>([])

    func charge(
        request: ClientRequest<Ferry_Examples_V1_ChargeRequest>,
        options: CallOptions
    ) async throws(RPCError) -> ClientResponse<Ferry_Examples_V1_ChargeResponse> {
        calls.withLock {
            $0.append(
                "charge \(request.message.orderId) x-order=\(request.metadata.firstString(forKey: "x-order") ?? "-")"
            )
        }
        if request.message.amount?.minorUnits ?? 0 > 100_000 {
            throw RPCError(code: .failedPrecondition, message: "over the limit")
        }
        var response = Ferry_Examples_V1_ChargeResponse()
        response.paymentId = "fake-" + request.message.orderId
        response.outcome = request.message.amount?.minorUnits == 0 ? .declined : .approved
        return ClientResponse(message: response)
    }

    func watch<Result: Sendable>(
        request: ClientRequest<Ferry_Examples_V1_WatchRequest>,
        options: CallOptions,
        onResponse:
            @escaping @Sendable (StreamingClientResponse<Ferry_Examples_V1_PaymentUpdate>) async throws -> Result
    ) async throws(RPCError) -> Result {
        let updates = ["pending", "authorized", "settled"].map { status in
            var update = Ferry_Examples_V1_PaymentUpdate()
            update.paymentId = request.message.paymentId
            update.status = status
            return update
        }
        do {
            return try await onResponse(StreamingClientResponse(messages: RPCAsyncSequence(elements: updates)))
        } catch {
            throw RPCError(converting: error)
        }
    }

    func chargeBatch(
        request: StreamingClientRequest<Ferry_Examples_V1_ChargeRequest>,
        options: CallOptions
    ) async throws(RPCError) -> ClientResponse<Ferry_Examples_V1_ChargeResponse> {
        throw RPCError(code: .unimplemented, message: "not faked")
    }

    func chargeLive<Result: Sendable>(
        request: StreamingClientRequest<Ferry_Examples_V1_ChargeRequest>,
        options: CallOptions,
        onResponse:
            @escaping @Sendable (StreamingClientResponse<Ferry_Examples_V1_ChargeResponse>) async throws -> Result
    ) async throws(RPCError) -> Result {
        // Answers each request as it is written: the same interleaving a real server gives.
        let (answers, continuation) = AsyncStream<Ferry_Examples_V1_ChargeResponse>.makeStream()
        do {
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await request.producer(
                        RPCWriter { (charge: Ferry_Examples_V1_ChargeRequest) throws(RPCError) in
                            var response = Ferry_Examples_V1_ChargeResponse()
                            response.paymentId = "live-" + charge.orderId
                            continuation.yield(response)
                        }
                    )
                    continuation.finish()
                }
                let result = try await onResponse(
                    StreamingClientResponse(messages: RPCAsyncSequence(wrapping: answers))
                )
                group.cancelAll()
                continuation.finish()
                return result
            }
        } catch {
            throw RPCError(converting: error)
        }
    }
}

@Suite("Generated client protocols take a fake in tests")
struct FakeClientTests {
    @Test("unary: the short form reaches the fake's full form with metadata; its errors reach the caller")
    func unary() async {
        let fake = FakePayments()
        let checkout = Checkout(payments: fake)
        #expect(await checkout.placeOrder("o1", cents: 1299) == "o1: paid as fake-o1")
        #expect(await checkout.placeOrder("o2", cents: 0) == "o2: declined as fake-o2")
        #expect(await checkout.placeOrder("o3", cents: 500_000) == "o3: failed with FAILED_PRECONDITION")
        #expect(fake.calls.withLock { $0 } == ["charge o1 x-order=o1", "charge o2 x-order=o2", "charge o3 x-order=o3"])
    }

    @Test("server streaming: the short form's AsyncSequence reads what the fake hands out")
    func serverStreaming() async throws {
        let statuses = try await Checkout(payments: FakePayments()).track("p9")
        #expect(statuses == ["pending", "authorized", "settled"])
    }

    @Test("bidirectional: the body shape works over a fake's closure form")
    func bidirectional() async throws {
        let paid = try await Checkout(payments: FakePayments()).chargeOneByOne(["a", "b", "c"])
        #expect(paid == ["live-a", "live-b", "live-c"])
    }

    @Test("the same application code runs on the generated Client over a real RPCClient")
    func realClient() async throws {
        let transport = InProcessTransport()
        let server = RPCServer(transport: transport.server, services: [ApprovingPayments()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            try await withRPCClient(transport: transport.client) { client in
                let checkout = Checkout(payments: Ferry_Examples_V1_Payments.Client(wrapping: client))
                #expect(await checkout.placeOrder("r1", cents: 10) == "r1: paid as real-r1")
            }
        }
    }
}

/// Approves every charge: the server side of ``FakeClientTests/realClient()``.
private struct ApprovingPayments: Ferry_Examples_V1_Payments.ServiceProtocol {
    func charge(
        _ request: ServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Ferry_Examples_V1_ChargeResponse> {
        var response = Ferry_Examples_V1_ChargeResponse()
        response.paymentId = "real-" + request.message.orderId
        response.outcome = .approved
        return ServerResponse(message: response)
    }

    func watch(
        _ request: ServerRequest<Ferry_Examples_V1_WatchRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Ferry_Examples_V1_PaymentUpdate> {
        throw RPCError(code: .unimplemented, message: "")
    }

    func chargeBatch(
        _ request: StreamingServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Ferry_Examples_V1_ChargeResponse> {
        throw RPCError(code: .unimplemented, message: "")
    }

    func chargeLive(
        _ request: StreamingServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Ferry_Examples_V1_ChargeResponse> {
        throw RPCError(code: .unimplemented, message: "")
    }
}
