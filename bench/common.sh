# Shared by the bench scripts (sourced): the long test clip and the timing helper.

# make_clip MINUTES PATH: a 720p30 H.264 + AAC clip at about 1.5 Mbit/s, made once.
make_clip() {
    make_source "$2" 1280x720 "$1" -c:v libx264 -preset ultrafast -g 60 -b:v 1500k -c:a aac -b:a 64k
}

# make_hour CLIP PATH: one hour made of six copies of a 10-minute CLIP joined with ffmpeg's concat
# demuxer (-c copy), made once.
make_hour() {
    local clip=$1 hour=$2
    [ -f "$hour" ] && return
    echo "making $hour"
    local list=$work/concat.txt
    for _ in 1 2 3 4 5 6; do echo "file '$(realpath "$clip")'"; done >"$list"
    ffmpeg -hide_banner -loglevel error -y -f concat -safe 0 -i "$list" -c copy "$hour.partial.${hour##*.}"
    mv "$hour.partial.${hour##*.}" "$hour"
}

# make_source PATH SIZE MINUTES VIDEO-ARGS... -- AUDIO-ARGS...: a clip from ffmpeg's test sources
# (moving test pattern, sine tone), made once.
make_source() {
    local path=$1 size=$2 minutes=$3
    shift 3
    [ -f "$path" ] && return
    echo "making $path"
    ffmpeg -hide_banner -loglevel error -nostdin -y \
        -f lavfi -i "testsrc2=size=$size:rate=30:duration=$((minutes * 60))" \
        -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$((minutes * 60))" \
        -pix_fmt yuv420p "$@" "$path.partial.${path##*.}"
    mv "$path.partial.${path##*.}" "$path"
}

# measure LABEL COMMAND...: wall time and peak memory of COMMAND (output discarded), with GNU time.
measure() {
    local label=$1
    shift
    /usr/bin/time -v "$@" 2>"$work/time.log" >/dev/null
    local peak seconds
    peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log")
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.log")
    echo "$label: wall $seconds, peak RSS $((peak / 1024)) MB"
}
