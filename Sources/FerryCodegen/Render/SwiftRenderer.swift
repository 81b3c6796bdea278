import FerryCodec

/// Renders ``SwiftNode`` trees as Swift source, indented four spaces per level.
struct SwiftRenderer {
    private var lines: [String] = []

    static func render(_ nodes: [SwiftNode]) -> String {
        var renderer = SwiftRenderer()
        renderer.emit(nodes, depth: 0)
        while renderer.lines.last == "" { renderer.lines.removeLast() }
        return renderer.lines.joined(separator: "\n") + "\n"
    }

    private mutating func emit(_ nodes: [SwiftNode], depth: Int) {
        let indent = String(repeating: "    ", count: depth)
        for node in nodes {
            switch node {
            case .line(let text):
                lines.append(text.isEmpty ? "" : indent + text)
            case .blank:
                if let last = lines.last, last != "", !last.hasSuffix("{") { lines.append("") }
            case .doc(let docLines):
                for line in docLines {
                    let text = line.trimmingTrailingSpaces()
                    lines.append(indent + "///" + (text.isEmpty || text.hasPrefix(" ") ? text : " " + text))
                }
            case .group(let inner):
                emit(inner, depth: depth)
            case .indented(let inner):
                emit(inner, depth: depth + 1)
            case .braced(let header, let body, let footer):
                lines.append(indent + header)
                // `case` labels line up with their `switch`, as Swift style has it.
                let isSwitch = header.hasPrefix("switch ") || header.contains("{ switch ")
                emit(body, depth: isSwitch ? depth : depth + 1)
                while lines.last == "" { lines.removeLast() }
                lines.append(indent + footer)
            }
        }
    }
}
