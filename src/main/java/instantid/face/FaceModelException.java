package instantid.face;

/** A face model file that cannot be used: missing, not ONNX, or not the kind of network expected. */
public class FaceModelException extends instantid.common.UserException {

    public FaceModelException(String message) {
        super(message);
    }

    public FaceModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
