// InstantID: generate a picture of the person in the active image's selection.
// Select the face with any ROI tool first (without a selection the largest face is used).
// The argument (optional) replaces the size / steps / seed options, e.g. "width=896 height=1152 steps=30".
if (nImages == 0) exit("Open a portrait and select the face first.");
opts = getArgument();
if (opts == "") opts = "width=1024 height=1024 steps=30 seed=-1";
prompt = "analog film photo of a person, faded film, 35mm photo, grainy, vignette";
negative = "lowres, bad anatomy, worst quality";
run("Generate from Face...", "face=selection prompt=[" + prompt + "] negative=[" + negative + "] " + opts);
print("InstantID made " + getTitle() + " (" + nSlices + " image(s)); its settings are in Image > Show Info");
