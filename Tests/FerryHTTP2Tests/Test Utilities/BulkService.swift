import FerryRPC

enum Bulk {
    static let download = MethodDescriptor(service: "ferry.test.Bulk", method: "Download")
    static let upload = MethodDescriptor(service: "ferry.test.Bulk", method: "Upload")
    static let chunk = 1 << 20
}

/// Moves many megabytes: `Download` sends N chunks of 1 MiB (N is the request), `Upload` counts bytes.
struct BulkService: RPCService {
    func registerMethods(with router: inout RPCRouter) {
        router.registerServerStreaming(Bulk.download, deserializer: RawBytesSerializer(), serializer: RawBytesSerializer()) { request, _ in
            let count = Int(request.message.first ?? 0)
            return StreamingServerResponse { writer in
                for index in 0..<count {
                    try await writer.write([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: Bulk.chunk))
                }
                return [:]
            }
        }
        router.registerClientStreaming(Bulk.upload, deserializer: RawBytesSerializer(), serializer: RawBytesSerializer()) { request, _ in
            var total = 0
            var index = 0
            for try await chunk in request.messages {
                guard chunk.allSatisfy({ $0 == UInt8(truncatingIfNeeded: index) }) else {
                    throw RPCError(code: .dataLoss, message: "chunk \(index) corrupted")
                }
                total += chunk.count
                index += 1
            }
            return ServerResponse(message: Array(String(total).utf8))
        }
    }
}
