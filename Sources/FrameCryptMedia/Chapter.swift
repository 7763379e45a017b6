internal import CFFmpeg

/// A chapter of a file: its span in its own time base, and its tags (title…).
public struct Chapter: Sendable, Hashable {
    /// The chapter's id in its file.
    public let id: Int64
    /// The time base of `start` and `end`.
    public let timeBase: Rational
    /// Where the chapter starts, in `timeBase`.
    public let start: Int64
    /// Where the chapter ends, in `timeBase`.
    public let end: Int64
    /// The chapter's tags (its title…).
    public let metadata: [MetadataEntry]

    init(_ chapter: UnsafeMutablePointer<AVChapter>) {
        id = chapter.pointee.id
        timeBase = Rational(chapter.pointee.time_base)
        start = chapter.pointee.start
        end = chapter.pointee.end
        metadata = MetadataDictionary.entries(chapter.pointee.metadata)
    }

    /// The chapters of `context`, in order.
    static func chapters(of context: UnsafeMutablePointer<AVFormatContext>) -> [Chapter] {
        (0..<Int(context.pointee.nb_chapters)).compactMap { index in
            context.pointee.chapters?[index].map(Chapter.init)
        }
    }

    /// Gives `context` these chapters, in memory `avformat_free_context` frees (chapters array,
    /// each chapter and its tags). The corresponding C functions are `av_calloc` and `av_mallocz`.
    static func set(_ chapters: [Chapter], in context: UnsafeMutablePointer<AVFormatContext>) throws(FFmpegError) {
        guard !chapters.isEmpty, context.pointee.nb_chapters == 0 else { return }
        guard let array = av_calloc(chapters.count, MemoryLayout<UnsafeMutablePointer<AVChapter>?>.stride) else {
            throw outOfMemory("av_calloc")
        }
        let slots = array.assumingMemoryBound(to: UnsafeMutablePointer<AVChapter>?.self)
        context.pointee.chapters = slots
        for chapter in chapters {
            guard let made = av_mallocz(MemoryLayout<AVChapter>.size)?.assumingMemoryBound(to: AVChapter.self) else {
                throw outOfMemory("av_mallocz")
            }
            slots[Int(context.pointee.nb_chapters)] = made
            context.pointee.nb_chapters += 1
            made.pointee.id = chapter.id
            made.pointee.time_base = chapter.timeBase.rational
            made.pointee.start = chapter.start
            made.pointee.end = chapter.end
            try MetadataDictionary.set(chapter.metadata, in: &made.pointee.metadata)
        }
    }
}

/// One piece of a stream's side data (display matrix, spherical mapping…), as its type and bytes.
public struct StreamSideData: Sendable, Hashable {
    let type: AVPacketSideDataType
    let bytes: [UInt8]

    /// The side data of `stream`, in order.
    static func all(of stream: UnsafeMutablePointer<AVStream>) -> [StreamSideData] {
        (0..<Int(stream.pointee.nb_side_data)).compactMap { index in
            guard let entry = stream.pointee.side_data?[index], let data = entry.data else { return nil }
            return StreamSideData(type: entry.type, bytes: Array(UnsafeBufferPointer(start: data, count: entry.size)))
        }
    }

    /// Adds `entries` to `stream`. The corresponding C function is `av_stream_new_side_data`.
    static func add(_ entries: [StreamSideData], to stream: UnsafeMutablePointer<AVStream>) throws(FFmpegError) {
        for entry in entries {
            guard let data = av_stream_new_side_data(stream, entry.type, entry.bytes.count) else {
                throw outOfMemory("av_stream_new_side_data")
            }
            entry.bytes.withUnsafeBufferPointer { source in
                if let base = source.baseAddress {
                    data.update(from: base, count: source.count)
                }
            }
        }
    }
}
