import FerryCodec

/// Answers protobuf conformance requests with Ferry's generated messages, binary codec, JSON and
/// text format.
///
/// The input (binary, JSON or text) is parsed into the requested test message and written again
/// in the requested format: the runner then checks that nothing was lost or altered. JSPB is
/// Google-internal, so requests that need it are answered `skipped` with the reason, which the
/// runner counts apart from failures.
struct ConformanceTestee {
    /// The message types this testee can parse, by full protobuf name.
    static let messageTypes: [String: any DescribedMessage.Type] = [
        ProtobufTestMessages_Proto3_TestAllTypesProto3.protoMessageName: ProtobufTestMessages_Proto3_TestAllTypesProto3
            .self,
        ProtobufTestMessages_Proto2_TestAllTypesProto2.protoMessageName: ProtobufTestMessages_Proto2_TestAllTypesProto2
            .self,
    ]

    /// The types an Any may hold in JSON: the test messages and the well-known types.
    static let typeRegistry = TypeRegistry(files: [
        Google_Protobuf_TestMessagesProto3_ProtoFile.self, Google_Protobuf_TestMessagesProto2_ProtoFile.self,
    ])

    /// Answers one serialized `ConformanceRequest`; never throws, whatever the bytes.
    func respond(to requestBytes: [UInt8]) -> Conformance_ConformanceResponse {
        var response = Conformance_ConformanceResponse()
        do throws(DecodingError) {
            let request = try Conformance_ConformanceRequest(serializedBytes: requestBytes)
            response.result = result(for: request)
        } catch {
            response.result = .runtimeError("could not decode the ConformanceRequest: \(error)")
        }
        return response
    }

    /// Answers one decoded request.
    func result(for request: Conformance_ConformanceRequest) -> Conformance_ConformanceResponse.ResultEnum {
        // The runner asks for the list of tests expected to fail before anything else; this
        // testee expects none, so it answers an empty list.
        if request.messageType == Conformance_FailureSet.protoMessageName {
            return .protobufPayload(Conformance_FailureSet().serializedBytes())
        }
        // Runners older than the message_type field meant the proto3 message.
        let typeName =
            request.messageType.isEmpty
            ? ProtobufTestMessages_Proto3_TestAllTypesProto3.protoMessageName : request.messageType
        guard let messageType = Self.messageTypes[typeName] else {
            return .runtimeError("unknown message type \"\(request.messageType)\"")
        }

        let message: any DescribedMessage
        switch request.payload {
        case .protobufPayload(let bytes)?:
            do throws(DecodingError) {
                message = try messageType.init(serializedBytes: bytes)
            } catch {
                return .parseError(error.description)
            }
        case .jsonPayload(let text)?:
            var options = JSONDecodingOptions()
            options.typeRegistry = Self.typeRegistry
            options.ignoreUnknownFields = request.testCategory == .jsonIgnoreUnknownParsingTest
            do throws(JSONDecodingError) {
                message = try messageType.init(jsonString: text, options: options)
            } catch {
                return .parseError(error.description)
            }
        case .jspbPayload?: return .skipped("JSPB format not supported")
        case .textPayload(let text)?:
            var options = TextFormatDecodingOptions()
            options.typeRegistry = Self.typeRegistry
            do throws(TextFormatDecodingError) {
                message = try messageType.init(textFormatString: text, options: options)
            } catch {
                return .parseError(error.description)
            }
        case nil: return .runtimeError("the request carries no payload")
        }

        switch request.requestedOutputFormat {
        case .protobuf: return .protobufPayload(message.serializedBytes())
        case .json:
            var options = JSONEncodingOptions()
            options.typeRegistry = Self.typeRegistry
            do throws(JSONEncodingError) {
                return .jsonPayload(try message.jsonString(options: options))
            } catch {
                return .serializeError(error.description)
            }
        case .jspb: return .skipped("JSPB format not supported")
        case .textFormat:
            var options = TextFormatEncodingOptions()
            options.typeRegistry = Self.typeRegistry
            options.printUnknownFields = request.printUnknownFields
            do throws(TextFormatEncodingError) {
                return .textPayload(try message.textFormatString(options: options))
            } catch {
                return .serializeError(error.description)
            }
        case .unspecified, .unrecognized:
            return .runtimeError("unspecified output format \(request.requestedOutputFormat.rawValue)")
        }
    }
}
