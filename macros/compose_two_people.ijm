// InstantID: two people in one picture (multi-identity composition).
// The active image is the source photo with (at least) two faces; Detect Faces names them face-1, face-2.
// A new canvas gets two target regions (left half, right half) named "left" and "right"; identity k
// acts only inside its region. Argument (optional): extra options, e.g. "width=1024 height=768 steps=30 threshold=0.5".
if (nImages == 0) exit("Open a photo with two faces first.");
opts = getArgument();
if (opts == "") opts = "width=1024 height=768 steps=30 threshold=0.5";
w = parseInt(call("ij.Macro.getValue", opts, "width", "1024"));
h = parseInt(call("ij.Macro.getValue", opts, "height", "768"));
threshold = call("ij.Macro.getValue", opts, "threshold", "0.5");
source = getTitle();
run("Detect Faces", "threshold=" + threshold);
newImage("canvas", "RGB black", w, h, 1);
makeRectangle(0, 0, w / 2, h);
Roi.setName("left");
Overlay.addSelection;
makeRectangle(w / 2, 0, w - w / 2, h);
Roi.setName("right");
Overlay.addSelection;
Roi.remove;
run("Compose Identities...", "canvas=canvas identities=[face-1@" + source + ">left; face-2@" + source + ">right] "
    + "ip_scales=[0.8,0.8] prompt=[two friends laughing, film photo] " + opts);
print("composed " + getTitle() + " with " + Overlay.size + " identity regions");
