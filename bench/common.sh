# Shared by the bench scripts (sourced): the long test clip and the timing helper.

# make_clip MINUTES PATH: a 720p30 H.264 + AAC clip from ffmpeg's test sources, made once.
make_clip() {
    local minutes=$1 path=$2
    [ -f "$path" ] && return
    echo "making $path"
    ffmpeg -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=$((minutes * 60))" \
        -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$((minutes * 60))" \
        -c:v libx264 -preset ultrafast -g 60 -b:v 1500k -pix_fmt yuv420p -c:a aac -b:a 64k "$path"
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
