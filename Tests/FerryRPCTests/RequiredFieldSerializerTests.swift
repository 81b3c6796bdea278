import FerryCodec
import FerryRPC
import Testing

@Suite struct RequiredFieldSerializerTests {
    @Test("the protobuf serializer refuses to send a message with a required field unset")
    func refusesPartialMessages() throws {
        let partial = Google_Protobuf_UninterpretedOption.NamePart()
        #expect {
            _ = try ProtobufSerializer<Google_Protobuf_UninterpretedOption.NamePart>().serialize(partial)
        } throws: { error in
            (error as? RPCError)?.code == .internalError
        }
        #expect(
            try ProtobufSerializer<Google_Protobuf_UninterpretedOption.NamePart>(allowPartial: true).serialize(partial)
                == []
        )
    }
}
