// Image quality measures used to gate enrollment.
#include <opencv2/imgproc.hpp>

#include "common.hpp"

using namespace cvision;

extern "C" {

int cv_image_laplacian_variance(double *out_variance, const uint8_t *rgb, int width, int height) {
    return guard([&] {
        if (out_variance == nullptr) throw std::invalid_argument("cv_image_laplacian_variance: null output");
        cv::Mat image = view(const_cast<uint8_t *>(rgb), width, height, "cv_image_laplacian_variance");
        cv::Mat gray, laplacian;
        cv::cvtColor(image, gray, cv::COLOR_RGB2GRAY);
        // ksize 1: the 3x3 kernel [0 1 0; 1 -4 1; 0 1 0], borders reflected (BORDER_REFLECT_101, OpenCV's default).
        cv::Laplacian(gray, laplacian, CV_64F, 1);
        cv::Scalar mean, deviation;
        cv::meanStdDev(laplacian, mean, deviation);
        *out_variance = deviation[0] * deviation[0];
    });
}

}  // extern "C"
