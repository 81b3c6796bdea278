import FerryRPC

enum Bulk {
    static let download = MethodDescriptor(service: "ferry.test.Bulk", method: "Download")
    static let upload = MethodDescriptor(service: "ferry.test.Bulk", method: "Upload")
    static let uploadFirst = MethodDescriptor(service: "ferry.test.Bulk", method: "UploadFirst")
    static let ignore = MethodDescriptor(service: "ferry.test.Bulk", method: "Ignore")
    static let chunk = 1 << 20
    /// Chunk i is filled with byte `fill(i)`; four prebuilt chunks so tests spend no time building them.
    static let chunks: [[UInt8]] = (0..<4).map { [UInt8](repeating: UInt8($0), count: chunk) }
    static func fill(_ index: Int) -> UInt8 { UInt8(index % 4) }
    static func chunk(_ index: Int) -> [UInt8] { chunks[index % 4] }
}

/// Moves many megabytes: `Download` sends N chunks of 1 MiB (N is the request), `Upload` counts bytes.
struct BulkService: RPCService {
    func registerMethods(with router: inout RPCRouter) {
        router.registerServerStreaming(
            Bulk.download,
            deserializer: RawBytesSerializer(),
            serializer: RawBytesSerializer()
        ) { request, _ in
            let count = Int(request.message.first ?? 0)
            return StreamingServerResponse { writer in
                for index in 0..<count { try await writer.write(Bulk.chunk(index)) }
                return [:]
            }
        }
        router.registerClientStreaming(
            Bulk.upload,
            deserializer: RawBytesSerializer(),
            serializer: RawBytesSerializer()
        ) { request, _ in
            var total = 0
            var index = 0
            for try await chunk in request.messages {
                let expected = Bulk.fill(index)
                guard chunk.count == Bulk.chunk, chunk.first == expected, chunk.last == expected,
                    chunk[chunk.count / 2] == expected
                else {
                    throw RPCError(code: .dataLoss, message: "chunk \(index) corrupted")
                }
                total += chunk.count
                index += 1
            }
            return ServerResponse(message: Array(String(total).utf8))
        }
        router.registerBidirectionalStreaming(
            Bulk.ignore,
            deserializer: RawBytesSerializer(),
            serializer: RawBytesSerializer()
        ) { _, _ in
            StreamingServerResponse { _ in
                try await Task.sleep(for: .seconds(60))
                return [:]
            }
        }
        router.registerClientStreaming(
            Bulk.uploadFirst,
            deserializer: RawBytesSerializer(),
            serializer: RawBytesSerializer()
        ) { request, _ in
            var iterator = request.messages.makeAsyncIterator()
            let first = try await iterator.next() ?? []
            // Answer only once the client has filled the flow-control window and is blocked writing.
            try await Task.sleep(for: .milliseconds(500))
            return ServerResponse(message: Array(String(first.count).utf8))
        }
    }
}
