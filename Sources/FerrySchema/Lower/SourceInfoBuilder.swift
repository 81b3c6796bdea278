import FerryCodec

/// Collects `SourceCodeInfo` locations in the order protoc's parser records them.
struct SourceInfoBuilder {
    private(set) var locations: [Google_Protobuf_SourceCodeInfo.Location] = []

    mutating func add(_ path: [Int32], _ span: SourceSpan, _ comments: Comments? = nil) {
        var location = Google_Protobuf_SourceCodeInfo.Location()
        location.path = path
        location.span = span.protocSpan
        if let comments {
            location.leadingComments = comments.leading
            location.trailingComments = comments.trailing
            location.leadingDetachedComments = comments.detached
        }
        locations.append(location)
    }

    var sourceCodeInfo: Google_Protobuf_SourceCodeInfo {
        var info = Google_Protobuf_SourceCodeInfo()
        info.location = locations
        return info
    }
}
