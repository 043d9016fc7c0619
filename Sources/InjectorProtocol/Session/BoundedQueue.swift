/// A first-in first-out ring of fixed capacity, stored inline: appending to a full
/// queue fails (the caller counts it) instead of growing, so it never allocates.
public struct BoundedQueue<let capacity: Int, Element: Sendable>: Sendable {
    private var storage: InlineArray<capacity, Element?>
    private var head = 0
    public private(set) var count = 0

    public init() {
        precondition(capacity > 0, "a queue needs room for one element")
        storage = InlineArray(repeating: nil)
    }

    /// The most elements the queue holds (its `capacity` parameter), for a caller that
    /// names the queue by a type alias and states its bound once.
    public static var maximumCount: Int { capacity }

    public var isEmpty: Bool { count == 0 }
    public var isFull: Bool { count == capacity }
    public var first: Element? { isEmpty ? nil : storage[head] }

    /// Appends `element`, or returns `false` if the queue is full.
    @discardableResult
    public mutating func append(_ element: Element) -> Bool {
        guard count < capacity else { return false }
        storage[(head + count) % capacity] = element
        count += 1
        return true
    }

    public mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % capacity
        count -= 1
        return element
    }

    public mutating func removeAll() {
        while popFirst() != nil {}
    }

    /// The element `offset` places from the front.
    public subscript(offset: Int) -> Element {
        get {
            precondition(offset >= 0 && offset < count, "queue offset out of range")
            return storage[(head + offset) % capacity]!
        }
        set {
            precondition(offset >= 0 && offset < count, "queue offset out of range")
            storage[(head + offset) % capacity] = newValue
        }
    }
}
