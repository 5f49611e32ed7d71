package instantid.cli;

import instantid.batch.Manifest;
import instantid.batch.Results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code batch --merge}: the shards' results tables joined into {@code results.csv}, one line per row. */
final class BatchMerge {

    private BatchMerge() {
    }

    static int run(Path dir, Manifest manifest) throws Exception {
        List<Path> files = Results.shardFiles(dir);
        if (files.isEmpty()) throw new UsageException("no results-shard-*-of-*.csv in " + dir + ": run the shards first");
        List<Results.Line> lines = Results.merge(files);
        Path out = dir.resolve("results.csv");
        Results.write(out, lines);
        System.out.println("merged " + lines.size() + " rows from " + files.size() + " shard tables into " + out);
        if (manifest == null) return 0;
        Set<Integer> have = new TreeSet<>();
        for (Results.Line l : lines) have.add(l.row());
        List<Integer> missing = new ArrayList<>();
        for (Manifest.Row r : manifest.rows()) if (!have.contains(r.number())) missing.add(r.number());
        if (missing.isEmpty()) return 0;
        System.err.println("rows without a result (" + missing.size() + "): "
                + missing.subList(0, Math.min(20, missing.size())) + (missing.size() > 20 ? " ..." : "")
                + "; run their shards again");
        return 2;
    }
}
