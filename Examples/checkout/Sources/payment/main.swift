// `payment --port P`: the payment provider. Approves every card but `tok_declined`, in a few
// milliseconds. The demo freezes this process (SIGSTOP) to play an outage: connections are
// accepted by the kernel but nothing answers, the worst kind of failure for a caller.
import FerryHTTP2
import FerryRPC
import Foundation
import ShopSchemas

/// Writes a line at once, also into a pipe or file (`print` would buffer it there; the demo reads
/// these lines as they come).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct Payments: Shop_V1_Payments.ServiceProtocol {
    func charge(_ request: ServerRequest<Shop_V1_ChargeRequest>, context: ServerContext) async throws -> ServerResponse<Shop_V1_ChargeResponse> {
        var response = Shop_V1_ChargeResponse()
        response.paymentId = "pay-" + request.message.orderId
        if request.message.cardToken == "tok_declined" {
            response.declineReason = "card declined by issuer"
        } else {
            response.approved = true
        }
        return ServerResponse(message: response)
    }
}

let arguments = CommandLine.arguments
let port = arguments.firstIndex(of: "--port").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 0
let transport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: port))
let server = RPCServer(transport: transport, services: [Payments()])
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await server.serve() }
    say("payment: serving shop.v1.Payments on 127.0.0.1:\(try await transport.listeningPort())")
    try await group.waitForAll()
}
