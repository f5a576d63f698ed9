"""The dataset builder and command: every format written, read back by the consuming tools
(pyarrow; `datasets` and TRL's message preparation for the TRL layout; verl's dataset
class), rows verified, no overwrite, no silent success, the same rows for any --workers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.generate.needs import need

need("PIL")
pq = need("pyarrow.parquet")
from PIL import Image  # noqa: E402

from ssrl_rewards import make_reward_fn, parse_options, prompt_text, score  # noqa: E402
from ssrl_rewards.generate import cli, oracle_completion  # noqa: E402
from ssrl_rewards.generate.dataset import iter_rows, parse_mix  # noqa: E402
from ssrl_rewards.generate.errors import GenerateError  # noqa: E402
from ssrl_rewards.generate.scenes import scene  # noqa: E402


def generate(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(list(argv)))


def answer_and_prompt(fmt: str, row: dict[str, Any]) -> tuple[str, str, object]:
    if fmt == "easyr1":
        return row["task"], row["answer"], row["problem"]
    if fmt == "verl":
        return row["extra_info"]["task"], row["reward_model"]["ground_truth"], row["prompt"]
    return row["task"], row["answer"], row["prompt"]


@pytest.mark.parametrize("fmt", ["easyr1", "verl", "trl", "jsonl"])
def test_each_format_is_written_and_reads_back(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert generate("--out", str(out), "--format", fmt, "--n", "15", "--mix", "uniform") == 0
    name = "train.jsonl" if fmt == "jsonl" else "train.parquet"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [name]
    rows = list(iter_rows(out / name))
    assert len(rows) == 15
    assert {answer_and_prompt(fmt, r)[0] for r in rows} == {
        "shuffle",
        "flip",
        "crop",
        "depth",
        "position",
    }
    for row in rows:
        task, answer, prompt = answer_and_prompt(fmt, row)
        text = prompt_text(prompt)
        assert text is not None
        result = score(oracle_completion(answer), answer, task, prompt=text)
        assert result.score == 1.0
        if task == "position":
            assert parse_options(text) is not None
        images = row["images"]
        assert len(images) == (5 if task == "crop" else 1)
        for image in images:
            if fmt == "jsonl":
                Image.open(out / image).verify()
            else:
                Image.open(__import__("io").BytesIO(image["bytes"])).verify()
    if fmt != "jsonl":
        table = pq.read_table(out / name)
        assert table.num_rows == 15
    if fmt == "easyr1":
        assert all("<image>" in r["problem"] and "\\boxed{}" not in r["problem"] for r in rows)
    if fmt == "verl":
        assert all(r["data_source"] == f"spatial_ssrl/{r['extra_info']['task']}" for r in rows)
        assert [r["extra_info"]["index"] for r in rows] == list(range(15))


def test_trl_layout_loads_with_datasets_and_trl(tmp_path: Path) -> None:
    datasets = need("datasets")
    out = tmp_path / "out"
    assert generate("--out", str(out), "--format", "trl", "--n", "10", "--mix", "uniform") == 0
    data = datasets.load_dataset("parquet", data_files=str(out / "train.parquet"))["train"]
    assert len(data) == 10
    row = next(r for r in data if r["task"] == "crop")
    assert len(row["images"]) == 5
    assert all(isinstance(image, Image.Image) for image in row["images"])
    data_utils = need("trl.data_utils")
    messages = data_utils.prepare_multimodal_messages(row["prompt"], images=row["images"])
    parts = messages[0]["content"]
    kinds = [part["type"] for part in parts]
    # the question image sits before the '?', the four candidates after 'options'
    assert kinds[:3] == ["text", "image", "text"] and kinds.count("image") == 5
    assert parts[1]["image"] is row["images"][0]
    # this library's TRL reward reads the rows as they load: the oracle scores 1, and a
    # position answer given as option text resolves against the structured prompt
    reward = make_reward_fn("trl")
    rows = list(data)
    oracle = [[{"role": "assistant", "content": oracle_completion(r["answer"])}] for r in rows]
    columns = {"answer": [r["answer"] for r in rows], "task": [r["task"] for r in rows]}
    assert reward(prompts=[r["prompt"] for r in rows], completions=oracle, **columns) == [1.0] * 10
    assert any(r["task"] == "position" for r in rows)
    for r in rows:
        if r["task"] == "position":
            text = json.loads(r["meta"])["options"]["ABCD".index(r["answer"])]
            said = [[{"role": "assistant", "content": oracle_completion(text)}]]
            assert reward(
                prompts=[r["prompt"]], completions=said, answer=[r["answer"]], task=["position"]
            ) == [1.0]


def test_verl_layout_loads_with_verls_dataset_class(tmp_path: Path) -> None:
    need("torch")
    rl_dataset = need("verl.utils.dataset.rl_dataset")
    omegaconf = need("omegaconf")
    out = tmp_path / "out"
    assert generate("--out", str(out), "--format", "verl", "--n", "6", "--mix", "uniform") == 0
    config = omegaconf.OmegaConf.create(
        {"filter_overlong_prompts": False, "cache_dir": str(tmp_path / "cache")}
    )
    # RLHFDataset only checks that a processor is set before it places the images; the
    # rollout applies the real one
    dataset = rl_dataset.RLHFDataset(
        str(out / "train.parquet"), tokenizer=None, config=config, processor=object()
    )
    assert len(dataset) == 6
    for k in range(6):
        item = dataset[k]
        content = item["raw_prompt"][0]["content"]
        n_images = sum(part["type"] == "image" for part in content)
        task = item["extra_info"]["task"]
        assert n_images == (5 if task == "crop" else 1)
        assert all(isinstance(p["image"], Image.Image) for p in content if p["type"] == "image")
        truth = item["reward_model"]["ground_truth"]
        text = prompt_text(item["raw_prompt"])
        assert score(oracle_completion(truth), truth, task, prompt=text).score == 1.0
        # and the verl reward entry point, which takes the task from extra_info
        verl_reward = need("ssrl_rewards.integrations.verl")
        result = verl_reward.compute_score(
            item["data_source"], oracle_completion(truth), truth, item["extra_info"]
        )
        assert result["score"] == 1.0


def test_same_rows_for_any_number_of_workers(tmp_path: Path) -> None:
    args = ["--format", "easyr1", "--n", "12", "--seed", "5", "--mix", "uniform"]
    assert generate("--out", str(tmp_path / "one"), *args) == 0
    assert generate("--out", str(tmp_path / "two"), *args, "--workers", "2") == 0
    one = pq.read_table(tmp_path / "one" / "train.parquet")
    two = pq.read_table(tmp_path / "two" / "train.parquet")
    assert one.equals(two)
    assert generate("--out", str(tmp_path / "other"), *args[:-4], "--seed", "6") == 0
    other = pq.read_table(tmp_path / "other" / "train.parquet")
    assert not one.equals(other)


def test_images_from_a_directory_with_depth_and_skips_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    images, depths = tmp_path / "imgs", tmp_path / "depths"
    images.mkdir()
    depths.mkdir()
    for k in range(3):
        rgb, depth = scene(k)
        Image.fromarray(rgb).save(images / f"s{k}.jpg", quality=95)
        np.save(depths / f"s{k}.npy", depth)
    Image.fromarray(np.full((64, 64, 3), 90, np.uint8)).save(images / "grey.png")
    out = tmp_path / "out"
    code = generate(
        str(images),
        "--depth",
        str(depths),
        "--out",
        str(out),
        "--format",
        "jsonl",
        "--n",
        "12",
        "--tasks",
        "flip,crop",
        "depth_ordering",
        "--mix",
        "uniform",
        "--preview",
        str(tmp_path / "sheet.png"),
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "wrote 12 rows" in captured.out and "skipped" in captured.err
    assert "generate: 12/12 rows" in captured.err  # the progress line
    rows = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    assert len(rows) == 12
    assert {r["task"] for r in rows} <= {"flip", "crop", "depth"}
    assert not any(r["meta"]["source"].endswith("grey.png") and r["task"] == "depth" for r in rows)
    with Image.open(tmp_path / "sheet.png") as sheet:
        assert sheet.size[0] > 200


def test_refuses_existing_output_and_never_succeeds_doing_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    keep = out / "train.parquet"
    keep.write_bytes(b"precious")
    assert generate("--out", str(out), "--format", "verl", "--n", "3") == 2
    assert keep.read_bytes() == b"precious"
    assert "already exists" in capsys.readouterr().err
    sheet = tmp_path / "sheet.png"
    sheet.write_bytes(b"mine")
    assert generate("--out", str(tmp_path / "new"), "--format", "trl", "--preview", str(sheet)) == 2
    assert sheet.read_bytes() == b"mine"
    # images that give no sample at all: exit 1, no data file left behind
    grey = tmp_path / "grey"
    grey.mkdir()
    Image.fromarray(np.full((64, 64, 3), 90, np.uint8)).save(grey / "g.png")
    empty_out = tmp_path / "empty"
    assert generate(str(grey), "--out", str(empty_out), "--format", "trl", "--tasks", "flip") == 1
    assert "nothing written" in capsys.readouterr().err
    assert not empty_out.exists()
    jsonl_out = tmp_path / "empty_jsonl"
    assert generate(str(grey), "--out", str(jsonl_out), "--format", "jsonl", "--tasks", "flip") == 1
    assert not jsonl_out.exists()
    assert generate("--out", str(tmp_path / "g"), "--format", "trl", "--seed", "-1") == 2
    # depth tasks with no depth maps, unknown tasks, empty directories: usage errors
    assert (
        generate(str(grey), "--out", str(tmp_path / "d"), "--format", "trl", "--tasks", "depth")
        == 2
    )
    assert generate("--out", str(tmp_path / "e"), "--format", "trl", "--tasks", "jigsaws") == 2
    (tmp_path / "none").mkdir()
    assert generate(str(tmp_path / "none"), "--out", str(tmp_path / "f"), "--format", "trl") == 2


def test_mix_parsing() -> None:
    assert parse_mix("paper")["depth"] == 20620
    assert parse_mix("uniform", ["flip", "crop"]) == {"flip": 1.0, "crop": 1.0}
    assert parse_mix("flip=2,crop=0") == {"flip": 2.0}
    assert parse_mix("jigsaw=1") == {"shuffle": 1.0}  # task aliases as the scorer knows them
    for bad in ("flip", "flip=x", "jigsaws=1", "flip=-1", "flip=0"):
        with pytest.raises(GenerateError):
            parse_mix(bad)
    with pytest.raises(GenerateError, match="--tasks"):
        parse_mix("depth=1", ["flip"])
    # rotation (beyond the paper) only when named; paper and uniform alone stay the five
    five = {"shuffle", "flip", "crop", "depth", "position"}
    assert set(parse_mix("paper")) == five and set(parse_mix("uniform")) == five
    assert parse_mix(None) == parse_mix("paper")
    mean = sum(parse_mix("paper").values()) / 5
    assert parse_mix("paper", ["rotation", "flip"]) == {"rotation": mean, "flip": 4005}
    assert parse_mix("uniform", ["rotation"]) == {"rotation": 1.0}
    assert parse_mix("rotation=1,depth=3") == {"rotation": 1.0, "depth": 3.0}
    assert parse_mix("rotation_prediction=2") == {"rotation": 2.0}
    with pytest.raises(GenerateError, match="--tasks"):
        parse_mix("rotation=1", ["flip"])


def test_rotation_rows_turn_back_to_the_source_scene(tmp_path: Path) -> None:
    out = tmp_path / "rot"
    argv = ["--out", str(out), "--format", "jsonl", "--n", "8", "--tasks", "rotation", "flip"]
    assert generate(*argv, "--preview", str(tmp_path / "sheet.png")) == 0
    rows = list(iter_rows(out / "train.jsonl"))
    assert {row["task"] for row in rows} == {"rotation", "flip"}
    turns = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180}
    turns[270] = Image.Transpose.ROTATE_270
    for row in (r for r in rows if r["task"] == "rotation"):
        meta = row["meta"]
        assert meta["direction"] == "clockwise" and str(meta["angle"]) == row["answer"]
        assert row["question"].count("<image>") == 1 and "clockwise" in row["question"]
        with Image.open(out / row["images"][0]) as shown:
            back = shown.convert("RGB")
            if meta["angle"]:
                back = back.transpose(turns[meta["angle"]])  # counterclockwise undoes it
        rgb, _ = scene(int(meta["source"].split(":")[1]))
        np.testing.assert_array_equal(np.asarray(back), rgb)
        assert (
            score(oracle_completion(row["answer"]), row["answer"], None, prompt=row["prompt"]).score
            == 1.0
        )
    assert (tmp_path / "sheet.png").stat().st_size > 0
