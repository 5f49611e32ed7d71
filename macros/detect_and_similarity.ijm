// InstantID: detect the faces of the active portrait, generate from its largest face, and measure
// how well the generated image kept the identity (cosine similarity of ArcFace embeddings).
// Argument (optional): extra Generate from Face options, e.g. "width=1024 height=1024 steps=30 threshold=0.5".
if (nImages == 0) exit("Open a portrait first.");
opts = getArgument();
if (opts == "") opts = "width=1024 height=1024 steps=30 threshold=0.5";
threshold = call("ij.Macro.getValue", opts, "threshold", "0.5");
source = getTitle();
run("Detect Faces", "threshold=" + threshold + " detector_size=640 roi_manager");
print(source + ": " + nResults + " face(s)");
run("Generate from Face...", "face=[whole image] prompt=[portrait photo of a person] " + opts);
generated = getTitle();
run("Face Similarity...", "image=[" + generated + "] mode=[two images] other=[" + source + "] threshold=" + threshold);
similarity = getResult("Similarity", 0);
print("identity similarity of " + generated + " to " + source + ": " + d2s(similarity, 3));
