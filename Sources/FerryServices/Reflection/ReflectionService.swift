/// Public: the service is given the `ProtoFile` types (FerryCodec) whose schemas it serves.
public import FerryCodec
/// Public: the service conforms to FerryRPC's `RPCService`.
public import FerryRPC
import Synchronization

/// gRPC server reflection (`grpc.reflection.v1.ServerReflection`, and `v1alpha` for older
/// clients): lets grpcurl, Postman and grpc_cli list a server's services, fetch their schemas and
/// call them knowing nothing but the address.
///
/// The schemas come from the descriptors generated code embeds: each generated service records its
/// file when it registers, so adding the service is one line and needs no .proto files:
///
/// ```swift
/// let server = RPCServer(transport: transport, services: [Payments(), HealthService(), ReflectionService()])
/// ```
///
/// `list_services` answers the services the server actually serves (reflection itself included).
/// Files of types the services do not reach, such as extensions declared elsewhere, can be added
/// with `files`.
public final class ReflectionService: RPCService {
    private let extraFiles: [any ProtoFile.Type]
    private let served = Mutex<(index: DescriptorIndex, services: [String])?>(nil)

    /// A reflection service for the server's services, plus `files` (and what they import).
    public init(files: [any ProtoFile.Type] = []) {
        self.extraFiles = files
    }

    /// Registers `ServerReflectionInfo` under v1 and v1alpha, and indexes the schemas once every
    /// service of the server has registered.
    public func registerMethods(with router: inout RPCRouter) {
        // v1alpha's messages are v1's under another package, field for field, so one handler on
        // v1's types serves both.
        for (service, file) in [
            (
                Grpc_Reflection_V1_ServerReflection.name,
                Grpc_Reflection_V1_Reflection_ProtoFile.self as any ProtoFile.Type
            ),
            (Grpc_Reflection_V1Alpha_ServerReflection.name, Grpc_Reflection_V1Alpha_Reflection_ProtoFile.self),
        ] {
            router.describe(service: service, file: file)
            router.registerBidirectionalStreaming(
                MethodDescriptor(service: service, method: "ServerReflectionInfo"),
                deserializer: ProtobufDeserializer<Grpc_Reflection_V1_ServerReflectionRequest>(),
                serializer: ProtobufSerializer<Grpc_Reflection_V1_ServerReflectionResponse>()
            ) { request, _ in
                // The router's handlers keep the service alive as long as the server.
                self.session(request.messages)
            }
        }
        let extraFiles = self.extraFiles
        router.onComplete { router in
            let index = DescriptorIndex(Array(router.serviceFiles.values) + extraFiles)
            self.served.withLock { $0 = (index, router.serviceNames) }
        }
    }

    /// One client's stream: each request gets one response, in order. Files already sent on the
    /// stream are not sent again as dependencies.
    private func session(
        _ requests: RPCAsyncSequence<Grpc_Reflection_V1_ServerReflectionRequest>
    ) -> StreamingServerResponse<Grpc_Reflection_V1_ServerReflectionResponse> {
        StreamingServerResponse { writer in
            var sent: Set<String> = []
            for try await request in requests {
                var response = Grpc_Reflection_V1_ServerReflectionResponse()
                response.validHost = request.host
                response.originalRequest = request
                response.messageResponse = self.answer(request.messageRequest, sent: &sent)
                try await writer.write(response)
            }
            return [:]
        }
    }

    private func answer(
        _ request: Grpc_Reflection_V1_ServerReflectionRequest.MessageRequest?,
        sent: inout Set<String>
    ) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
        guard let (index, services) = served.withLock({ $0 }) else {
            return Self.error(.unavailable, "The server has not finished starting.")
        }
        func files(_ name: String?, _ missing: String) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
            guard let name, let files = index.fileWithDependencies(name, excluding: sent) else {
                return Self.error(.notFound, missing)
            }
            var response = Grpc_Reflection_V1_FileDescriptorResponse()
            response.fileDescriptorProto = files.map(\.bytes)
            sent.formUnion(files.map(\.name))
            return .fileDescriptorResponse(response)
        }
        switch request {
        case .fileByFilename(let name):
            return files(name, "No file named '\(name)'.")
        case .fileContainingSymbol(let symbol):
            let trimmed = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
            return files(index.symbols[trimmed], "No symbol '\(symbol)'.")
        case .fileContainingExtension(let request):
            let file = index.extensions[request.containingType]?[request.extensionNumber]
            return files(file, "No extension \(request.extensionNumber) of '\(request.containingType)'.")
        case .allExtensionNumbersOfType(let type):
            guard index.symbols[type] != nil else { return Self.error(.notFound, "No message type '\(type)'.") }
            var response = Grpc_Reflection_V1_ExtensionNumberResponse()
            response.baseTypeName = type
            response.extensionNumber = (index.extensions[type] ?? [:]).keys.sorted()
            return .allExtensionNumbersResponse(response)
        case .listServices:
            var response = Grpc_Reflection_V1_ListServiceResponse()
            response.service = services.map { name in
                var service = Grpc_Reflection_V1_ServiceResponse()
                service.name = name
                return service
            }
            return .listServicesResponse(response)
        case nil:
            return Self.error(.invalidArgument, "The request asks for nothing (no message_request is set).")
        }
    }

    private static func error(
        _ code: Status.Code,
        _ message: String
    ) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
        var error = Grpc_Reflection_V1_ErrorResponse()
        error.errorCode = Int32(code.rawValue)
        error.errorMessage = message
        return .errorResponse(error)
    }
}
