// The server side of the demo: Payments implemented against the generated ServiceProtocol.
import FerryCodec
import FerryRPC

/// A toy payment provider: approves every card except `tok_declined`, and takes as long as an
/// order id asks (`slow-…` orders take two seconds, so a caller's deadline can be seen to fire).
struct DemoPayments: Ferry_Examples_V1_Payments.ServiceProtocol {
    func charge(
        _ request: ServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Ferry_Examples_V1_ChargeResponse> {
        if request.message.orderId.hasPrefix("slow-") {
            // Cancelled when the caller's deadline passes: the sleep throws and the handler ends.
            try await Task.sleep(for: .seconds(2))
        }
        return ServerResponse(
            message: decide(request.message),
            trailingMetadata: ["x-served-by": "ferry-demo"]
        )
    }

    func watch(
        _ request: ServerRequest<Ferry_Examples_V1_WatchRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Ferry_Examples_V1_PaymentUpdate> {
        let paymentID = request.message.paymentId
        return StreamingServerResponse { writer in
            for (second, status) in ["authorized", "captured", "settled"].enumerated() {
                var update = Ferry_Examples_V1_PaymentUpdate()
                update.paymentId = paymentID
                update.status = status
                var at = Google_Protobuf_Timestamp()
                at.seconds = 1_764_028_800 + Int64(second)
                update.at = at
                try await writer.write(update)
                try await Task.sleep(for: .milliseconds(20))
            }
            return [:]
        }
    }

    func chargeBatch(
        _ request: StreamingServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Ferry_Examples_V1_ChargeResponse> {
        var count = 0
        var total: Int64 = 0
        for try await charge in request.messages {
            count += 1
            total += charge.amount?.minorUnits ?? 0
        }
        var response = Ferry_Examples_V1_ChargeResponse()
        response.paymentId = "batch-\(count)-orders-\(total)-cents"
        response.outcome = .approved
        return ServerResponse(message: response)
    }

    func chargeLive(
        _ request: StreamingServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Ferry_Examples_V1_ChargeResponse> {
        StreamingServerResponse { writer in
            for try await charge in request.messages { try await writer.write(decide(charge)) }
            return [:]
        }
    }

    private func decide(_ request: Ferry_Examples_V1_ChargeRequest) -> Ferry_Examples_V1_ChargeResponse {
        var response = Ferry_Examples_V1_ChargeResponse()
        response.paymentId = "pay-" + request.orderId
        if case .cardToken("tok_declined") = request.instrument {
            response.outcome = .declined
            response.declineReason = "card declined by issuer"
        } else {
            response.outcome = .approved
        }
        return response
    }
}
