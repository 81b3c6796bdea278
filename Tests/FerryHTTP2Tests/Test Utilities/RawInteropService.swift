import FerryRPC
import RPCTestSupport

enum Raw {
    static let service = "ferry.interop.RawService"
    static func method(_ name: String) -> MethodDescriptor { MethodDescriptor(service: service, method: name) }
}

/// Ferry's implementation of the raw-bytes service that Tests/InteropPeers/grpc_peer.py also serves,
/// so the python client can check the Ferry server the way the Ferry client checks grpcio.
struct RawInteropService: RPCService {
    let probe = Probe()

    func registerMethods(with router: inout RPCRouter) {
        let coder = RawBytesSerializer()
        router.registerUnary(Raw.method("Echo"), deserializer: coder, serializer: coder) { request, _ in
            var headers = Metadata()
            for element in request.metadata where element.key.hasPrefix("x-") {
                headers.add(element.value, forKey: element.key)
            }
            var trailers: Metadata = ["x-trailer": "t"]
            trailers.addBinary([0, 1, 0xFF], forKey: "x-trailer-bin")
            return ServerResponse(message: request.message, metadata: headers, trailingMetadata: trailers)
        }
        router.registerUnary(Raw.method("Fail"), deserializer: coder, serializer: coder) { request, _ in
            let text = String(decoding: request.message, as: UTF8.self)
            let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let code = Status.Code(wireValue: Int(parts.first ?? "") ?? 2)
            throw RPCError(code: code, message: parts.count > 1 ? String(parts[1]) : "", metadata: ["x-why": "asked"])
        }
        router.registerServerStreaming(Raw.method("Expand"), deserializer: coder, serializer: coder) { request, _ in
            StreamingServerResponse { writer in
                for word in request.message.split(separator: UInt8(ascii: " ")) { try await writer.write(Array(word)) }
                return [:]
            }
        }
        router.registerClientStreaming(Raw.method("Collect"), deserializer: coder, serializer: coder) { request, _ in
            var parts: [[UInt8]] = []
            for try await message in request.messages { parts.append(message) }
            return ServerResponse(message: Array(parts.joined(separator: [UInt8(ascii: " ")])))
        }
        router.registerBidirectionalStreaming(Raw.method("Upper"), deserializer: coder, serializer: coder) {
            request,
            _ in
            StreamingServerResponse { writer in
                for try await message in request.messages {
                    try await writer.write(Array(String(decoding: message, as: UTF8.self).uppercased().utf8))
                }
                return [:]
            }
        }
        let probe = self.probe
        router.registerUnary(Raw.method("Sleep"), deserializer: coder, serializer: coder) { _, _ in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                probe.record("sleep-cancelled")
                throw error
            }
            return ServerResponse(message: Array("woke".utf8))
        }
        router.registerUnary(Raw.method("Stats"), deserializer: coder, serializer: coder) { _, _ in
            ServerResponse(message: Array("cancelled=\(probe.count("sleep-cancelled"))".utf8))
        }
        router.registerUnary(Raw.method("Remaining"), deserializer: coder, serializer: coder) { _, context in
            guard let deadline = context.deadline else { return ServerResponse(message: Array("none".utf8)) }
            let left = deadline - ContinuousClock.now
            let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
            return ServerResponse(message: Array(String(format3(seconds)).utf8))
        }
    }
}

private func format3(_ value: Double) -> String {
    let millis = Int((value * 1000).rounded())
    return "\(millis / 1000).\(String(repeating: "0", count: 3 - String(millis % 1000).count))\(millis % 1000)"
}
