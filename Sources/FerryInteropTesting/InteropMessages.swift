/// Builders for the messages the interop descriptions use again and again.
extension Grpc_Testing_Payload {
    /// A COMPRESSABLE payload of `size` zero bytes.
    static func zeros(_ size: Int) -> Grpc_Testing_Payload {
        var payload = Grpc_Testing_Payload()
        payload.body = [UInt8](repeating: 0, count: size)
        return payload
    }

    /// Whether the body is `size` bytes, all zero.
    func isZeros(_ size: Int) -> Bool {
        body.count == size && body.allSatisfy { $0 == 0 }
    }
}

extension Grpc_Testing_StreamingOutputCallRequest {
    /// A request for one response per entry of `responseSizes`, carrying `bodySize` zero bytes.
    static func asking(for responseSizes: [Int], bodySize: Int? = nil) -> Self {
        var request = Self()
        request.responseParameters = responseSizes.map { size in
            var parameters = Grpc_Testing_ResponseParameters()
            parameters.size = Int32(size)
            return parameters
        }
        if let bodySize { request.payload = .zeros(bodySize) }
        return request
    }
}

extension Grpc_Testing_BoolValue {
    /// A BoolValue holding `value`.
    init(_ value: Bool) {
        self.init()
        self.value = value
    }
}

extension Grpc_Testing_EchoStatus {
    init(code: Int32, message: String) {
        self.init()
        self.code = code
        self.message = message
    }
}

/// The metadata keys of the server feature "Echo Metadata".
enum EchoMetadata {
    /// Echoed in the response's initial metadata.
    static let initialKey = "x-grpc-test-echo-initial"
    /// Echoed in the response's trailing metadata.
    static let trailingKey = "x-grpc-test-echo-trailing-bin"
}
