import FerryCodec

/// Finds the message fields that must be stored indirectly so that generated structs have a
/// finite size.
///
/// Singular message fields (and oneof cases holding messages) store their value inline; a cycle
/// of them between types would make a struct contain itself. A depth-first walk over the
/// "holds inline" graph, in declaration order, marks the back edges: removing exactly those
/// edges leaves no cycle, and the choice is stable for a given .proto file. Repeated and map
/// fields live on the heap already and never need a box.
enum CycleAnalysis {
    /// One inline edge: field `fieldNumber` of `from` holds a `to`.
    struct Edge: Hashable, Sendable {
        var from: String
        var fieldNumber: Int
    }

    /// - Parameters:
    ///   - order: message full names in declaration order (pre-order over nesting).
    ///   - edges: for each message, its inline message fields as (field number, target full name).
    /// - Returns: the edges that close a cycle.
    static func backEdges(order: [String], edges: [String: [(field: Int, target: String)]]) -> Set<Edge> {
        var state: [String: Int] = [:]  // 1 = on the stack, 2 = finished
        var result: Set<Edge> = []

        func visit(_ node: String) {
            state[node] = 1
            for (field, target) in edges[node] ?? [] {
                switch state[target] {
                case 1: result.insert(Edge(from: node, fieldNumber: field))
                case 2: break
                default: if edges[target] != nil { visit(target) }
                }
            }
            state[node] = 2
        }

        for node in order where state[node] == nil { visit(node) }
        return result
    }
}
