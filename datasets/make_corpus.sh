#!/usr/bin/env bash
# Builds the small synthetic speech corpus that the tests, the README and the notebooks train on: espeak-ng voices
# reading varied English sentences over a faint noise floor, as 24 kHz 16-bit mono WAV (sox), plus the manifests the training
# configs read (audio_id,path,length,sample_rate, as kanade dump-dataset writes them).
#
#   datasets/make_corpus.sh [OUTPUT_DIR]     (default: datasets/espeak)
#
# Deterministic: the same espeak-ng and sox versions give the same bytes (sox runs without dither, in repeatable mode).
set -euo pipefail

out="${1:-$(dirname "$0")/espeak}"
mkdir -p "$out/wav"
command -v espeak-ng >/dev/null || { echo "espeak-ng is not installed (apt-get install espeak-ng)" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox is not installed (apt-get install sox)" >&2; exit 1; }

sentences=(
  "The quiet river carried fallen leaves past the old stone mill."
  "Please bring three apples, a loaf of bread and some cheese."
  "Every morning the baker opens the shop at half past six."
  "A sudden gust of wind scattered the papers across the floor."
  "She counted the stars until the clouds rolled in from the west."
  "The train to the coast leaves from platform number nine."
  "Bright paint covered the walls of the small kitchen."
  "He tuned the violin slowly, listening to every string."
  "Our neighbours planted tulips along the garden fence."
  "The museum closes early on the first Monday of the month."
  "Warm soup tastes better after a long walk in the rain."
  "Two children built a castle of sand near the harbour."
  "The engineer checked the bridge for cracks before dawn."
  "Fresh snow muffled the sound of footsteps in the street."
  "Would you like tea or coffee with your breakfast today?"
  "The library keeps its oldest maps in a locked cabinet."
  "A yellow kite climbed above the hill and then dipped."
  "Heavy clouds gathered while the farmers finished the harvest."
  "Seven geese flew over the lake in a crooked line."
  "Nobody noticed the cat sleeping on top of the piano."
  "Blue lanterns swayed above the market on the summer night."
  "The pilot announced a short delay because of fog."
  "Thunder rolled in the distance, and the dogs began to bark."
  "Waves crashed against the rocks below the lighthouse."
)
# voice+variant, words per minute, pitch (0-99)
voices=(
  "en-us+f3 165 60" "en-gb+m3 155 40" "en-us+m1 180 35" "en-gb-scotland+f2 160 65"
  "en-029+m2 170 45" "en-gb-x-rp+f4 150 70" "en-us+m7 185 30" "en-gb+f1 175 55"
)

# Items 0..19 train, 20..23 validate; every voice speaks in training, four of them in validation.
echo "audio_id,path,length,sample_rate" > "$out/train.csv"
echo "audio_id,path,length,sample_rate" > "$out/val.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for i in "${!sentences[@]}"; do
  read -r voice speed pitch <<< "${voices[$(( i % ${#voices[@]} ))]}"
  id="$(printf 'utt%02d' "$i")"
  espeak-ng -v "$voice" -s "$speed" -p "$pitch" -w "$tmp/$id.wav" "${sentences[$i]}"
  # 24 kHz mono, 1 dB of headroom (resampling overshoots), leading and trailing silence cut.
  sox -R -D "$tmp/$id.wav" -r 24000 -c 1 -b 16 "$tmp/$id.trim.wav" gain -1 silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
  # A pink-noise floor about 50 dB down, as a microphone has: espeak-ng's digital silence would give log-mel values of
  # log(1e-7) = -16 that no recording has. sox's generator is seeded in repeatable mode (-R).
  seconds="$(soxi -D "$tmp/$id.trim.wav")"
  sox -R -D -n -r 24000 -c 1 -b 16 "$tmp/$id.noise.wav" synth "$seconds" pinknoise vol 0.003
  sox -R -D -m "$tmp/$id.trim.wav" "$tmp/$id.noise.wav" -b 16 "$out/wav/$id.wav"
  frames="$(soxi -s "$out/wav/$id.wav")"
  manifest="$out/train.csv"
  (( i >= 20 )) && manifest="$out/val.csv"
  echo "$id,wav/$id.wav,$frames,24000" >> "$manifest"
done
echo "wrote $(ls "$out/wav" | wc -l) files ($(du -sh "$out/wav" | cut -f1)) to $out"
