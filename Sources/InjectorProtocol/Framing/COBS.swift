/// Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): removes every `00`
/// from a frame so that `00` can delimit frames and a receiver can resynchronise.
public enum COBS {
    /// Encodes `source` into `destination`, returning the encoded length. The
    /// destination must hold `source.count + source.count / 254 + 1` bytes.
    public static func encode(_ source: UnsafeRawBufferPointer,
                              into destination: UnsafeMutableRawBufferPointer) -> Int {
        precondition(destination.count >= source.count + source.count / 254 + 1,
                     "COBS destination too small")
        var codeIndex = 0
        var write = 1
        var code: UInt8 = 1
        for byte in source {
            if byte == 0 {
                destination[codeIndex] = code
                codeIndex = write
                write += 1
                code = 1
            } else {
                destination[write] = byte
                write += 1
                code += 1
                if code == 0xFF {
                    destination[codeIndex] = code
                    codeIndex = write
                    write += 1
                    code = 1
                }
            }
        }
        destination[codeIndex] = code
        return write
    }

    /// Decodes `count` encoded bytes in place (the output never overtakes the input)
    /// and returns the decoded length, or `nil` if the bytes are not valid COBS
    /// (a zero byte, or a block that runs past the end).
    public static func decodeInPlace(_ buffer: UnsafeMutableRawBufferPointer, count: Int) -> Int? {
        precondition(count <= buffer.count, "COBS count beyond buffer")
        var read = 0
        var write = 0
        while read < count {
            let code = Int(buffer[read])
            if code == 0 || read + code > count {
                return nil
            }
            read += 1
            for _ in 1..<code {
                let byte = buffer[read]
                if byte == 0 { return nil }
                buffer[write] = byte
                write += 1
                read += 1
            }
            // A block shorter than 255 stands for its data plus one zero, except at the end.
            if code < 0xFF && read < count {
                buffer[write] = 0
                write += 1
            }
        }
        return write
    }
}
