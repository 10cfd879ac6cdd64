#!/usr/bin/env bash
# Every figure in README.md and models/cotscan-minilm-v1/MODEL_CARD.md, in one go (CPU, ~90 min).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/results
BENCH=../shared/benchmarks/redwood_novel_200.jsonl
python benchmarks/corpus_baselines.py --json benchmarks/results/corpus_baselines.json  # data card table
cotscan eval data/corpus/test.jsonl $BENCH --json benchmarks/results/eval.json | tee benchmarks/results/eval.txt
# the same with intervals that resample whole scenario families (model card, test split)
cotscan eval data/corpus/test.jsonl --baselines keyword --no-train-baselines --group-by scenario \
  --json benchmarks/results/eval_by_family.json | tee benchmarks/results/eval_by_family.txt
python benchmarks/latency.py --json benchmarks/results/latency.json
python benchmarks/scan_throughput.py --json benchmarks/results/scan_throughput.json
cotscan stress data/corpus/test.jsonl --max-records 100 --strengths 0,0.5,1 \
  --json benchmarks/results/stress.json --plot benchmarks/results/stress.png | tee benchmarks/results/stress.txt
python benchmarks/cpu_paths.py --split test --json benchmarks/results/cpu_paths.json | tee benchmarks/results/cpu_paths.txt
python benchmarks/scan_memory.py --gb 2 --json benchmarks/results/scan_memory.json
python benchmarks/redwood_visibility.py --json benchmarks/results/redwood_visibility.json
# calibration candidates against false positives on long transcripts (validation; model card)
# (length_calibration.txt is the run with 1.4.0's weights, the model card's tables: unpack
# git 6398833's model folder and pass it as the first argument to repeat it)
python benchmarks/length_calibration.py | tee benchmarks/results/length_calibration_1.7.0.txt
# the 1.2.0 vs 1.3.0 comparison in the model card (1.2.0 unpacked from git; never the test split)
mkdir -p /tmp/m12 && git archive 69e56ff models/cotscan-minilm-v1 | tar -x -C /tmp/m12
mkdir -p /tmp/m130 && git archive 0a1c094 models/cotscan-minilm-v1 | tar -x -C /tmp/m130
python benchmarks/probe_compare.py /tmp/m12/models/cotscan-minilm-v1 /tmp/m130/models/cotscan-minilm-v1 \
  | tee benchmarks/results/probe_compare.txt
# 1.3.2 vs 1.4.0: validation and probes (that release decision)
mkdir -p /tmp/m132 && git archive 5cc925b models/cotscan-minilm-v1 | tar -x -C /tmp/m132
mkdir -p /tmp/m140 && git archive 6398833 models/cotscan-minilm-v1 | tar -x -C /tmp/m140
python benchmarks/probe_compare.py /tmp/m132/models/cotscan-minilm-v1 /tmp/m140/models/cotscan-minilm-v1 \
  | tee benchmarks/results/probe_compare_1.3.2_vs_1.4.0.txt
# 1.4.1 (unpacked from git) vs the shipped 1.7.0: the release decision on validation and the
# probe sets, then the test split by source and part
mkdir -p /tmp/m141 && git archive 510137e models/cotscan-minilm-v1 | tar -x -C /tmp/m141
python benchmarks/release_compare.py /tmp/m141/models/cotscan-minilm-v1 models/cotscan-minilm-v1 \
  --json benchmarks/results/release_compare_1.4.1_vs_1.7.0.json | tee benchmarks/results/release_compare_1.4.1_vs_1.7.0.txt
python benchmarks/fpr_by_source.py /tmp/m141/models/cotscan-minilm-v1 models/cotscan-minilm-v1 | tee benchmarks/results/fpr_by_source.txt
# 1.4.1 vs the not-shipped 1.5.0 (retrain it first, ~61 min: cotscan train -o /tmp/m15/cotscan-minilm-v1
# on the corpus at a6e04e8); validation, wave g and every probe set, never the test split
if [ -d /tmp/m15/cotscan-minilm-v1 ]; then
  python benchmarks/release_compare.py /tmp/m141/models/cotscan-minilm-v1 /tmp/m15/cotscan-minilm-v1 \
    | tee benchmarks/results/release_compare_1.4.1_vs_1.5.0.txt
fi
# plain-register rewrites of held-out positives (validation: a7; test: a8, the shipped model only)
python benchmarks/plain_register.py models/cotscan-minilm-v1 --split test \
  --json benchmarks/results/plain_register_test_1.7.0.json | tee benchmarks/results/plain_register_test_1.7.0.txt
# 1.4.1 vs the not-shipped 1.6.0 (retrain first, ~53 min: cotscan train --later-epoch-share 0.45
# --validate-from 3 -o /tmp/m16/cotscan-minilm-v1 on the corpus with data/augment)
if [ -d /tmp/m16/cotscan-minilm-v1 ]; then
  python benchmarks/release_compare.py /tmp/m141/models/cotscan-minilm-v1 /tmp/m16/cotscan-minilm-v1 \
    | tee benchmarks/results/release_compare_1.4.1_vs_1.6.0.txt
fi
