import ArgumentParser
import Foundation

/// protoc's response files: an argument `@path` stands for the lines of the file at `path`, each
/// line one argument (no quoting; empty lines are skipped). Files are not expanded recursively.
enum ResponseFiles {
    /// A response file larger than this is refused rather than read: 64 MiB holds over a million
    /// .proto paths.
    static let maximumBytes = 64 << 20

    /// `arguments` with every `@path` replaced by the arguments its file holds.
    static func expand(_ arguments: [String]) throws -> [String] {
        guard arguments.contains(where: { $0.hasPrefix("@") }) else { return arguments }
        var expanded: [String] = []
        for argument in arguments {
            guard argument.hasPrefix("@") else {
                expanded.append(argument)
                continue
            }
            let path = String(argument.dropFirst())
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("Could not read the response file \(path).")
            }
            guard size <= maximumBytes, data.count <= maximumBytes else {
                throw ValidationError("The response file \(path) is larger than \(maximumBytes >> 20) MiB.")
            }
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.isEmpty {
                expanded.append(String(line))
            }
        }
        return expanded
    }
}
