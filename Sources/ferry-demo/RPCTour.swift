// The RPC half of the demo: serve Payments on loopback and call it with the generated client.
import FerryCodec
import FerryHTTP2
import FerryRPC

private func chargeRequest(
    _ orderID: String,
    cents: Int64,
    card: String = "tok_visa_4242"
) -> Ferry_Examples_V1_ChargeRequest {
    var request = Ferry_Examples_V1_ChargeRequest()
    request.orderId = orderID
    var amount = Ferry_Examples_V1_Money()
    amount.currency = "EUR"
    amount.minorUnits = cents
    request.amount = amount
    request.instrument = .cardToken(card)
    return request
}

private func describe(_ response: Ferry_Examples_V1_ChargeResponse) -> String {
    let reason = response.declineReason.map { " (\($0))" } ?? ""
    return "\(response.paymentId): \(response.outcome)\(reason)"
}

/// Starts a server on an ephemeral port, makes one call of each kind plus one that misses its
/// deadline, prints what happened, and shuts the server down gracefully.
func rpcTour() async throws {
    let serverTransport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
    let server = RPCServer(transport: serverTransport, services: [DemoPayments()])
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        let port = try await serverTransport.listeningPort()
        print("serving ferry.examples.v1.Payments on 127.0.0.1:\(port)")

        try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) { client in
            let payments = Ferry_Examples_V1_Payments.Client(wrapping: client)
            let options = CallOptions(timeout: .seconds(2))

            print("-- unary Charge")
            let full = try await payments.charge(
                request: ClientRequest(message: chargeRequest("order-1", cents: 4_250)),
                options: options
            )
            print("   \(describe(full.message)); trailers \(full.trailingMetadata)")
            let declined = try await payments.charge(
                chargeRequest("order-2", cents: 990, card: "tok_declined"),
                options: options
            )
            print("   \(describe(declined))")

            print("-- unary Charge with a 100 ms deadline against a 2 s charge")
            let started = ContinuousClock.now
            do {
                _ = try await payments.charge(
                    chargeRequest("slow-order-3", cents: 100),
                    options: CallOptions(timeout: .milliseconds(100))
                )
                print("   unexpectedly succeeded")
            } catch let error as RPCError {
                let elapsed = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
                print("   \(error.code) after \(elapsed) ms: \(error.message)")
            }

            print("-- server streaming Watch")
            var watch = Ferry_Examples_V1_WatchRequest()
            watch.paymentId = "pay-order-1"
            for try await update in payments.watch(watch, options: options) {
                print("   \(update.paymentId) \(update.status) at \(update.at?.seconds ?? 0)")
            }

            print("-- client streaming ChargeBatch")
            let batch = try await payments.chargeBatch(options: options) { writer in
                for (i, cents) in [1_200, 3_400, 560].enumerated() {
                    try await writer.write(chargeRequest("batch-\(i)", cents: Int64(cents)))
                }
            }
            print("   \(describe(batch))")

            print("-- bidirectional ChargeLive, one request per answer")
            try await payments.chargeLive(options: options) { requests, responses in
                var answers = responses.makeAsyncIterator()
                for (orderID, card) in [("live-1", "tok_visa"), ("live-2", "tok_declined"), ("live-3", "tok_amex")] {
                    try await requests.write(chargeRequest(orderID, cents: 700, card: card))
                    guard let answer = try await answers.next() else { break }
                    print("   sent \(orderID) -> \(describe(answer))")
                }
                await requests.finish()
            }
        }
        print("client closed; shutting the server down gracefully")
    }
}
